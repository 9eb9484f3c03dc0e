package network.canopy.p2p.crypto;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A node's long-term Ed25519 identity: a 32-byte private seed and its 32-byte public key. The node
 * id is the public key in lowercase hex (64 characters); {@link #shortId()} is its first 8.
 */
public final class NodeIdentity {
  /** Hex characters in {@link #shortId()}. */
  public static final int SHORT_ID_LENGTH = PeerId.SHORT_CHARS;

  private final byte[] seed;
  private final byte[] publicKey;
  private final String id;

  private NodeIdentity(byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = Ed25519.publicKey(this.seed);
    this.id = Hex.encode(publicKey);
  }

  /** A new random identity. */
  public static NodeIdentity generate(SecureRandom random) {
    return new NodeIdentity(Ed25519.generateSeed(random));
  }

  /** The identity of a given 32-byte private seed. */
  public static NodeIdentity fromSeed(byte[] seed) {
    return new NodeIdentity(seed);
  }

  /** The 32-byte Ed25519 public key. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Lowercase hex of the public key, 64 characters: the node's id on the network. */
  public String id() {
    return id;
  }

  /** The first 8 hex characters of {@link #id()}, for logs. */
  public String shortId() {
    return PeerId.shortForm(id);
  }

  /** An Ed25519 signature (64 bytes) over {@code message}. */
  public byte[] sign(byte[] message) {
    return Ed25519.sign(seed, publicKey, message);
  }

  /** Checks a peer's signature; false (never an exception) for anything malformed. */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    return Ed25519.verify(publicKey, message, signature);
  }

  /** The private seed, for {@link NodeKeyFile} only. */
  byte[] seed() {
    return seed.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeIdentity other && Arrays.equals(publicKey, other.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  /** Shows the id only: the seed must never reach a log. */
  @Override
  public String toString() {
    return "NodeIdentity[" + id + "]";
  }
}
