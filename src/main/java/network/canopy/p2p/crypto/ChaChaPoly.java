package network.canopy.p2p.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439) with one fixed key and caller-chosen 12-byte nonces, on the JDK
 * cipher (it has CPU intrinsics on JDK 21+). {@link CipherState} builds Noise's nonce layout on top.
 *
 * <p>One {@link Cipher} instance is kept and re-initialised per call, so sealing a frame allocates
 * nothing but the JDK's small per-init parameter objects. Not thread-safe.
 */
public final class ChaChaPoly {
  public static final int KEY_LENGTH = 32;
  public static final int NONCE_LENGTH = 12;
  public static final int TAG_LENGTH = 16;

  private static final String TRANSFORMATION = "ChaCha20-Poly1305";

  private final Cipher cipher;
  private final SecretKeySpec key;

  /** Creates an AEAD bound to a 32-byte key (the key bytes are copied). */
  public ChaChaPoly(byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("ChaCha20-Poly1305 key must be " + KEY_LENGTH + " bytes");
    }
    this.key = new SecretKeySpec(key, "ChaCha20");
    try {
      this.cipher = Cipher.getInstance(TRANSFORMATION);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK lacks " + TRANSFORMATION + " (needs JDK 11+)", e);
    }
  }

  /**
   * Encrypts {@code length} bytes at {@code in[inOffset]} into {@code out[outOffset]}, appending the
   * 16-byte tag. {@code in} and {@code out} may be the same array at the same offset.
   *
   * @return bytes written, {@code length + 16}
   * @throws IllegalStateException if this key and nonce were the last ones used (the JDK refuses
   *     nonce reuse for encryption, and so do we: it would be a bug in the caller)
   */
  public int seal(byte[] nonce, byte[] ad, byte[] in, int inOffset, int length,
      byte[] out, int outOffset) {
    requireOutput(out, outOffset, length + TAG_LENGTH);
    try {
      init(Cipher.ENCRYPT_MODE, nonce, ad);
      return cipher.doFinal(in, inOffset, length, out, outOffset);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 key and nonce reused for encryption", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 encryption failed unexpectedly", e);
    }
  }

  /**
   * Decrypts and authenticates {@code length} bytes of ciphertext plus tag at {@code in[inOffset]}
   * into {@code out[outOffset]}. After a failure the bytes in {@code out} are unspecified and
   * must not be used.
   *
   * @return plaintext bytes written, {@code length - 16}
   * @throws BadTagException if the input is shorter than a tag or fails authentication
   */
  public int open(byte[] nonce, byte[] ad, byte[] in, int inOffset, int length,
      byte[] out, int outOffset) throws BadTagException {
    if (length < TAG_LENGTH) {
      throw new BadTagException("ciphertext of " + length + " bytes is shorter than the tag");
    }
    requireOutput(out, outOffset, length - TAG_LENGTH);
    try {
      init(Cipher.DECRYPT_MODE, nonce, ad);
      return cipher.doFinal(in, inOffset, length, out, outOffset);
    } catch (AEADBadTagException e) {
      throw new BadTagException("ChaCha20-Poly1305 authentication failed", e);
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
      throw new BadTagException("ciphertext of " + ciphertext.length + " bytes is shorter than the tag");
    }
    byte[] out = new byte[ciphertext.length - TAG_LENGTH];
    open(nonce, ad, ciphertext, 0, ciphertext.length, out, 0);
    return out;
  }

  private void init(int mode, byte[] nonce, byte[] ad) throws GeneralSecurityException {
    if (nonce == null || nonce.length != NONCE_LENGTH) {
      throw new IllegalArgumentException(
          "ChaCha20-Poly1305 nonce must be " + NONCE_LENGTH + " bytes, not "
              + (nonce == null ? "null" : nonce.length));
    }
    cipher.init(mode, key, new IvParameterSpec(nonce));
    if (ad != null && ad.length > 0) {
      cipher.updateAAD(ad);
    }
  }

  private static void requireOutput(byte[] out, int offset, int needed) {
    if (offset < 0 || out.length - offset < needed) {
      throw new IllegalArgumentException(
          "output needs " + needed + " bytes from offset " + offset + ", array has " + out.length);
    }
  }
}
