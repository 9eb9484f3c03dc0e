package network.canopy.p2p.config;

import java.util.Objects;
import network.canopy.p2p.crypto.PeerId;

/**
 * A peer to dial, written {@code ID@HOST:PORT}, where ID is the peer's node id: the lowercase hex
 * of its 32-byte Ed25519 public key. Upper-case hex is accepted and normalised to lower case.
 */
public record PeerAddress(String id, HostPort address) {
  public static final int ID_HEX_CHARS = PeerId.HEX_CHARS;

  public PeerAddress {
    id = normalizeId(id);
    Objects.requireNonNull(address, "address");
    if (address.port() == 0) {
      throw new IllegalArgumentException("port 0 cannot be dialled");
    }
  }

  /** True when {@code text} is 64 hex characters of either case. */
  public static boolean isPeerId(String text) {
    return PeerId.isValid(text);
  }

  /**
   * The lower-case form of a node id.
   *
   * @throws IllegalArgumentException when {@code text} is not 64 hex characters
   */
  public static String normalizeId(String text) {
    Objects.requireNonNull(text, "id");
    return PeerId.of(text).hex();
  }

  /**
   * Parses {@code ID@HOST:PORT}.
   *
   * @throws IllegalArgumentException starting {@code cannot parse '...' as ID@HOST:PORT}
   */
  public static PeerAddress parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    int at = s.indexOf('@');
    String shape = "cannot parse '" + text + "' as ID@HOST:PORT";
    if (at < 0) {
      throw new IllegalArgumentException(shape);
    }
    try {
      return new PeerAddress(s.substring(0, at), HostPort.parse(s.substring(at + 1)));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(shape + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return id + "@" + address;
  }
}
