package network.canopy.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.ChaCha20ParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439 §2.8) with one fixed key and caller-chosen 12-byte nonces: the
 * JDK's ChaCha20 stream (CPU intrinsics on JDK 21+) with {@link Poly1305} as the MAC: on CPUs
 * without AVX-512 the JDK's own runs as generic field arithmetic, and this pairing seals and opens
 * small frames 2-3x and full frames ~15 % faster (docs/PERFORMANCE.md). Byte for byte the same as
 * the JDK's "ChaCha20-Poly1305" (ChaChaPolyTest checks it). {@link CipherState} builds Noise's
 * nonce layout on top.
 *
 * <p>One {@link Cipher} is kept and re-initialised per call (the JCE changes a nonce no other way);
 * opening checks the tag before it writes a byte of plaintext. Not thread-safe.
 */
public final class ChaChaPoly {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private static final String STREAM = "ChaCha20";
  private static final byte[] ZERO_BLOCK = new byte[64];

  private final Cipher stream;
  private final SecretKeySpec key;
  private final Poly1305 mac = new Poly1305();

  /** Keystream block 0: its first 32 bytes are the one-time Poly1305 key. */
  private final byte[] block0 = new byte[64];

  private final byte[] scratch = new byte[Poly1305.BLOCK];
  private final byte[] expectedTag = new byte[TAG_LENGTH];

  /** Creates an AEAD bound to a 32-byte key (the key bytes are copied). */
  public ChaChaPoly(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_LENGTH + " bytes");
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.stream = Cipher.getInstance(STREAM);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks " + STREAM + " (needs JDK 11+)", e);
    }
  }

  /**
   * Encrypts {@code length} bytes at {@code in[inOffset]} into {@code out[outOffset]}, appending
   * the 16-byte tag. {@code in} and {@code out} may be the same array at the same offset.
   *
   * @return bytes written, {@code length + 16}
   * @throws IllegalStateException if this key and nonce were the last ones used (the JDK refuses
   *     nonce reuse for encryption, and so do we: it would be a bug in the caller)
   */
  public int seal(
      byte[] nonce, byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset) {
    requireOutput(out, outOffset, length + TAG_LENGTH);
    try {
      start(Cipher.ENCRYPT_MODE, nonce);
      stream.doFinal(in, inOffset, length, out, outOffset);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 key and nonce reused for encryption", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed unexpectedly", e);
    }
    authenticate(ad, out, outOffset, length);
    mac.finish(out, outOffset + length);
    return length + TAG_LENGTH;
  }

  /**
   * Decrypts and authenticates {@code length} bytes of ciphertext plus tag at {@code in[inOffset]}
   * into {@code out[outOffset]}. Nothing is written to {@code out} unless the tag is right.
   *
   * @return plaintext bytes written, {@code length - 16}
   * @throws BadTagException if the input is shorter than a tag or fails authentication
   */
  public int open(
      byte[] nonce, byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws BadTagException {
    if (length < TAG_LENGTH) {
      throw new BadTagException("ciphertext of " + length + " bytes is shorter than the tag");
    }
    int textLength = length - TAG_LENGTH;
    requireOutput(out, outOffset, textLength);
    try {
      start(Cipher.DECRYPT_MODE, nonce);
      authenticate(ad, in, inOffset, textLength);
      mac.finish(expectedTag, 0);
      if (!tagMatches(in, inOffset + textLength)) {
        throw new BadTagException("ChaCha20-Poly1305 authentication failed");
      }
      return stream.doFinal(in, inOffset, textLength, out, outOffset);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 decryption failed unexpectedly", e);
    }
  }

  /** Allocating form of {@link #seal(byte[], byte[], byte[], int, int, byte[], int)}. */
  public byte[] seal(byte[] nonce, byte[] ad, byte[] plaintext) {
    byte[] out = new byte[plaintext.length + TAG_LENGTH];
    seal(nonce, ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** Allocating form of {@link #open(byte[], byte[], byte[], int, int, byte[], int)}. */
  public byte[] open(byte[] nonce, byte[] ad, byte[] ciphertext) throws BadTagException {
    if (ciphertext.length < TAG_LENGTH) {
      throw new BadTagException(
          "ciphertext of " + ciphertext.length + " bytes is shorter than the tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    open(nonce, ad, ciphertext, 0, ciphertext.length, out, 0);
    return out;
  }

  /** Keys the stream at block 0, takes the MAC key from it, and leaves the stream at block 1. */
  private void start(int mode, byte[] nonce) throws GeneralSecurityException {
    if (nonce == null || nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "ChaCha20-Poly1305 nonce must be "
              + NONCE_LENGTH
              + " bytes, not "
              + (nonce == null ? "null" : nonce.length));
    }
    stream.init(mode, key, new ChaCha20ParameterSpec(nonce, 0));
    stream.update(ZERO_BLOCK, 0, ZERO_BLOCK.length, block0, 0);
    mac.init(block0, 0);
  }

  /** MACs ad || pad16 || ciphertext || pad16 || le64(ad length) || le64(ciphertext length). */
  private void authenticate(byte[] ad, byte[] text, int offset, int length) {
    int adLength = ad == null ? 0 : ad.length;
    if (adLength > 0) {
      padded(ad, 0, adLength);
    }
    padded(text, offset, length);
    putLe64(scratch, 0, adLength);
    putLe64(scratch, 8, length);
    mac.blocks(scratch, 0, Poly1305.BLOCK);
  }

  private void padded(byte[] data, int offset, int length) {
    int whole = length & ~(Poly1305.BLOCK - 1);
    mac.blocks(data, offset, whole);
    int rest = length - whole;
    if (rest > 0) {
      System.arraycopy(data, offset + whole, scratch, 0, rest);
      Arrays.fill(scratch, rest, Poly1305.BLOCK, (byte) 0);
      mac.blocks(scratch, 0, Poly1305.BLOCK);
    }
  }

  /** Constant-time comparison of the computed tag with the received one. */
  private boolean tagMatches(byte[] in, int offset) {
    int difference = 0;
    for (int i = 0; i < TAG_LENGTH; i++) {
      difference |= expectedTag[i] ^ in[offset + i];
    }
    return difference == 0;
  }

  private static void putLe64(byte[] b, int offset, long v) {
    for (int i = 0; i < 8; i++) {
      b[offset + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void requireOutput(byte[] out, int offset, int needed) {
    if (offset < 0 || out.length - offset < needed) {
      throw new IllegalArgumentException(
          "output needs " + needed + " bytes from offset " + offset + ", array has " + out.length);
    }
  }
}
