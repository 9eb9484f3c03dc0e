package network.canopy.p2p.wire;

import java.util.Objects;
import network.canopy.p2p.crypto.CipherState;
import network.canopy.p2p.crypto.NonceExhaustedException;

/**
 * Seals plaintexts into wire frames with the connection's send {@link CipherState}.
 *
 * <p><b>Frame format</b>: {@code [length: u16 big-endian][ciphertext: length bytes]}, where
 * ciphertext = ChaCha20-Poly1305(key, nonce, ad = empty, plaintext) including its 16-byte tag, so
 * {@code length = plaintext length + 16}, between 16 and 65535. The nonce is the cipher state's
 * counter (see {@link CipherState}); it is not sent, both sides count frames. Not thread-safe.
 */
public final class FrameEncoder {
  private final CipherState send;

  /**
   * @param send a keyed cipher state owned by this encoder from now on
   */
  public FrameEncoder(CipherState send) {
    this.send = Objects.requireNonNull(send, "send");
    if (!send.hasKey()) {
      throw new IllegalArgumentException("frame encoder needs a keyed cipher state");
    }
  }

  /** Bytes on the wire for a plaintext of {@code plaintextLength} bytes. */
  public static int encodedLength(int plaintextLength) {
    return WireLimits.LENGTH_PREFIX + plaintextLength + WireLimits.TAG_LENGTH;
  }

  /**
   * Seals {@code length} plaintext bytes at {@code in[offset]} into {@code out[outOffset]} as one
   * frame. {@code out} needs {@link #encodedLength(int)} bytes; it must not overlap {@code in}
   * unless {@code outOffset + 2 == offset} (sealing in place behind a reserved prefix).
   *
   * @return bytes written
   * @throws IllegalArgumentException if the plaintext exceeds {@link
   *     WireLimits#MAX_FRAME_PLAINTEXT}
   * @throws FrameException with {@link FrameError#NONCE_EXHAUSTED} when the nonces are used up
   */
  public int seal(byte[] in, int offset, int length, byte[] out, int outOffset)
      throws FrameException {
    Objects.checkFromIndexSize(offset, length, in.length);
    if (length > WireLimits.MAX_FRAME_PLAINTEXT) {
      throw new IllegalArgumentException(
          "frame plaintext of " + length + " bytes exceeds " + WireLimits.MAX_FRAME_PLAINTEXT);
    }
    int total = encodedLength(length);
    Objects.checkFromIndexSize(outOffset, total, out.length);
    int ciphertextLength = length + WireLimits.TAG_LENGTH;
    try {
      send.encryptWithAd(null, in, offset, length, out, outOffset + WireLimits.LENGTH_PREFIX);
    } catch (NonceExhaustedException e) {
      throw new FrameException(FrameError.NONCE_EXHAUSTED, e.getMessage(), e);
    }
    out[outOffset] = (byte) (ciphertextLength >>> 8);
    out[outOffset + 1] = (byte) ciphertextLength;
    return total;
  }

  /** Seals a slice into a new array holding exactly one frame. */
  public byte[] seal(byte[] in, int offset, int length) throws FrameException {
    byte[] out = new byte[encodedLength(length)];
    seal(in, offset, length, out, 0);
    return out;
  }

  /** Seals a whole array into a new array holding exactly one frame. */
  public byte[] seal(byte[] plaintext) throws FrameException {
    return seal(plaintext, 0, plaintext.length);
  }
}
