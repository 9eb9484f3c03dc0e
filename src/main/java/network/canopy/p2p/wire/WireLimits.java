package network.canopy.p2p.wire;

/**
 * Sizes of the post-handshake frame format, {@code [u16 big-endian length][ciphertext]}, where the
 * ciphertext is ChaCha20-Poly1305 output (plaintext followed by a 16-byte tag).
 */
public final class WireLimits {
  /** Bytes of the big-endian length prefix. */
  public static final int LENGTH_PREFIX = 2;

  /** Poly1305 tag at the end of every frame's ciphertext. */
  public static final int TAG_LENGTH = 16;

  /** Largest ciphertext a 16-bit length can state; also Noise's message limit. */
  public static final int MAX_FRAME_CIPHERTEXT = 65535;

  /** Smallest valid ciphertext: an empty plaintext plus its tag. */
  public static final int MIN_FRAME_CIPHERTEXT = TAG_LENGTH;

  /** Largest plaintext one frame can carry: 65535 - 16 = 65519. */
  public static final int MAX_FRAME_PLAINTEXT = MAX_FRAME_CIPHERTEXT - TAG_LENGTH;

  /** Largest frame on the wire, prefix included: 65537. */
  public static final int MAX_FRAME_BYTES = LENGTH_PREFIX + MAX_FRAME_CIPHERTEXT;

  private WireLimits() {}
}
