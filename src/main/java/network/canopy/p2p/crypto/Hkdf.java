package network.canopy.p2p.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HKDF-SHA256 (RFC 5869) on the JDK's {@code HmacSHA256}, plus the two/three-output HKDF that the
 * Noise framework (revision 34, section 4.3) derives its chaining and cipher keys with.
 */
public final class Hkdf {
  /** SHA-256 output length, which is also Noise's HASHLEN. */
  public static final int HASH_LENGTH = 32;

  /** RFC 5869 caps the output at 255 blocks. */
  public static final int MAX_OUTPUT_LENGTH = 255 * HASH_LENGTH;

  private static final String ALGORITHM = "HmacSHA256";

  private Hkdf() {}

  /** HKDF-Extract. A null or empty salt stands for HashLen zero bytes, as RFC 5869 says. */
  public static byte[] extract(byte[] salt, byte[] ikm) {
    return mac(salt).doFinal(ikm);
  }

  /**
   * HKDF-Expand of {@code prk} to {@code length} bytes.
   *
   * @throws IllegalArgumentException if {@code length} is negative or over {@link
   *     #MAX_OUTPUT_LENGTH}
   */
  public static byte[] expand(byte[] prk, byte[] info, int length) {
    if (length < 0 || length > MAX_OUTPUT_LENGTH) {
      throw new IllegalArgumentException(
          "HKDF output length " + length + " is outside 0.." + MAX_OUTPUT_LENGTH);
    }
    Mac mac = mac(prk);
    byte[] out = new byte[length];
    byte[] block = new byte[0];
    for (int i = 1, done = 0; done < length; i++) {
      mac.update(block);
      if (info != null) {
        mac.update(info);
      }
      mac.update((byte) i);
      block = mac.doFinal();
      int n = Math.min(block.length, length - done);
      System.arraycopy(block, 0, out, done, n);
      done += n;
    }
    return out;
  }

  /** Extract then expand: the whole RFC 5869 HKDF. */
  public static byte[] derive(byte[] salt, byte[] ikm, byte[] info, int length) {
    return expand(extract(salt, ikm), info, length);
  }

  /**
   * Noise's {@code HKDF(chaining_key, input_key_material, num_outputs)}: RFC 5869 with the chaining
   * key as salt and empty info, cut into {@code outputs} blocks of {@link #HASH_LENGTH} bytes.
   *
   * @param outputs 2 or 3
   */
  public static byte[][] noise(byte[] chainingKey, byte[] inputKeyMaterial, int outputs) {
    if (outputs != 2 && outputs != 3) {
      throw new IllegalArgumentException("Noise HKDF gives 2 or 3 outputs, not " + outputs);
    }
    byte[] okm = derive(chainingKey, inputKeyMaterial, null, outputs * HASH_LENGTH);
    byte[][] result = new byte[outputs][];
    for (int i = 0; i < outputs; i++) {
      result[i] = Arrays.copyOfRange(okm, i * HASH_LENGTH, (i + 1) * HASH_LENGTH);
    }
    return result;
  }

  private static Mac mac(byte[] key) {
    // HMAC zero-pads short keys, so an empty key is the same as HashLen zero bytes; the JDK's
    // SecretKeySpec refuses an empty array, hence the substitution.
    byte[] effectiveKey = key == null || key.length == 0 ? new byte[HASH_LENGTH] : key;
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(new SecretKeySpec(effectiveKey, ALGORITHM));
      return mac;
    } catch (GeneralSecurityException e) {
      // Every Java SE runtime must provide HmacSHA256; reaching this means a broken JDK.
      throw new IllegalStateException("JDK lacks " + ALGORITHM, e);
    }
  }
}
