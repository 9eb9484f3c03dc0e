package network.canopy.p2p.crypto;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A node id: the lowercase hex of a 32-byte Ed25519 public key. Validates on construction, so a
 * {@code PeerId} is always well formed; {@link #shortForm()} is what logs and metric tags show.
 */
public record PeerId(String hex) implements Comparable<PeerId> {

  /** Hex characters of a full id. */
  public static final int HEX_CHARS = 64;

  /** Hex characters of the short form used in logs and metric tags. */
  public static final int SHORT_CHARS = 8;

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]{" + HEX_CHARS + "}");

  /** Normalises upper-case hex to lower case. @throws IllegalArgumentException when malformed. */
  public PeerId {
    if (!isValid(hex)) {
      throw new IllegalArgumentException(
          "'" + hex + "' is not a peer id (" + HEX_CHARS + " hex characters)");
    }
    hex = hex.toLowerCase(Locale.ROOT);
  }

  /** The id of {@code text}; @throws IllegalArgumentException when it is not 64 hex characters. */
  public static PeerId of(String text) {
    return new PeerId(text);
  }

  /** The id of {@code text}, or empty when it is not 64 hex characters of either case. */
  public static Optional<PeerId> parse(String text) {
    return isValid(text) ? Optional.of(new PeerId(text)) : Optional.empty();
  }

  /** The id of a 32-byte Ed25519 public key. */
  public static PeerId ofKey(byte[] publicKey) {
    if (publicKey.length != HEX_CHARS / 2) {
      throw new IllegalArgumentException("a public key has 32 bytes, got " + publicKey.length);
    }
    return new PeerId(Hex.encode(publicKey));
  }

  /** True when {@code text} is 64 hex characters of either case. */
  public static boolean isValid(String text) {
    return text != null && HEX.matcher(text).matches();
  }

  /** The first 8 hex characters of an id held as text (whatever its length), for logs and tags. */
  public static String shortForm(String id) {
    return id.length() <= SHORT_CHARS ? id : id.substring(0, SHORT_CHARS);
  }

  /** The first 8 hex characters, for logs and metric tags. */
  public String shortForm() {
    return hex.substring(0, SHORT_CHARS);
  }

  @Override
  public int compareTo(PeerId other) {
    return hex.compareTo(other.hex);
  }

  @Override
  public String toString() {
    return hex;
  }
}
