package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * ChaChaPoly (the JDK's ChaCha20 stream with our own Poly1305) against the JDK's own
 * ChaCha20-Poly1305: the same ciphertext and tag for every length around the 16-byte block edges,
 * with and without associated data, up to a full frame; and a tag off by one bit is refused without
 * writing plaintext.
 */
class ChaChaPolyTest {

  private static final int[] LENGTHS = {
    0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 1024, 4095, 65519
  };

  @Test
  void sealsExactlyAsTheJdkAndOpensWhatItSealed() throws Exception {
    Random random = new Random(16);
    for (int round = 0; round < 20; round++) {
      byte[] key = bytes(random, 32);
      ChaChaPoly aead = new ChaChaPoly(key);
      for (int length : LENGTHS) {
        for (int adLength : new int[] {0, 5, 32}) {
          byte[] nonce = bytes(random, 12);
          byte[] ad = adLength == 0 ? null : bytes(random, adLength);
          byte[] plaintext = bytes(random, length);
          byte[] sealed = aead.seal(nonce, ad, plaintext);
          assertThat(sealed)
              .as("length %d, ad %d", length, adLength)
              .isEqualTo(jdkSeal(key, nonce, ad, plaintext));
          assertThat(new ChaChaPoly(key).open(nonce, ad, sealed)).isEqualTo(plaintext);
        }
      }
    }
  }

  @Test
  void aFlippedBitAnywhereIsRefusedAndNothingIsWritten() throws Exception {
    Random random = new Random(17);
    byte[] key = bytes(random, 32);
    byte[] nonce = bytes(random, 12);
    byte[] sealed = new ChaChaPoly(key).seal(nonce, null, bytes(random, 100));
    for (int bit = 0; bit < sealed.length * 8; bit += 7) {
      byte[] tampered = sealed.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      byte[] out = new byte[100];
      assertThatThrownBy(
              () -> new ChaChaPoly(key).open(nonce, null, tampered, 0, tampered.length, out, 0))
          .isInstanceOf(BadTagException.class);
      assertThat(out).containsOnly(0);
    }
  }

  private static byte[] jdkSeal(byte[] key, byte[] nonce, byte[] ad, byte[] plaintext)
      throws Exception {
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(
        Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
    if (ad != null) {
      cipher.updateAAD(ad);
    }
    return cipher.doFinal(plaintext);
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }
}
