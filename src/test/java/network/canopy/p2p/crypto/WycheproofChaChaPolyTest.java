package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every Wycheproof ChaCha20-Poly1305 case through {@link ChaChaPoly}, the AEAD that {@link
 * CipherState} is built on (CipherState fixes the nonce layout, so it cannot take Wycheproof's
 * arbitrary IVs).
 */
class WycheproofChaChaPolyTest {

  @Test
  void sealAndOpenAgreeWithEveryCase() {
    List<TestVectors.Case> cases = TestVectors.wycheproof("chacha20_poly1305_test.json");
    List<String> failures = new ArrayList<>();
    int checked = 0;
    int badNonceRefused = 0;
    for (TestVectors.Case c : cases) {
      if (c.hex("iv").length != ChaChaPoly.NONCE_LENGTH) {
        // Only 96-bit nonces exist in this protocol; every such case is "invalid" and must be
        // refused.
        if (!c.result().equals("invalid") || !refusesNonce(c)) {
          failures.add(c + ": a " + c.hex("iv").length + "-byte nonce was not refused");
        }
        badNonceRefused++;
        continue;
      }
      String problem = check(c);
      if (problem != null) {
        failures.add(c + ": " + problem);
      }
      checked++;
    }
    assertThat(failures).isEmpty();
    // SOURCE.txt: 325 cases; 9 use a nonce size other than 96 bits. None is skipped.
    assertThat(checked).isEqualTo(316);
    assertThat(badNonceRefused).isEqualTo(9);
  }

  private static String check(TestVectors.Case c) {
    ChaChaPoly aead = new ChaChaPoly(c.hex("key"));
    byte[] sealed = concat(c.hex("ct"), c.hex("tag"));
    boolean valid = c.result().equals("valid");
    try {
      byte[] opened = aead.open(c.hex("iv"), c.hex("aad"), sealed);
      if (!valid) {
        return "invalid ciphertext opened";
      }
      if (!Arrays.equals(opened, c.hex("msg"))) {
        return "opened to the wrong plaintext";
      }
    } catch (BadTagException e) {
      if (valid) {
        return "valid ciphertext refused: " + e.getMessage();
      }
      return null;
    }
    // A fresh instance: the JDK refuses to encrypt under the key and nonce just used.
    byte[] resealed = new ChaChaPoly(c.hex("key")).seal(c.hex("iv"), c.hex("aad"), c.hex("msg"));
    return Arrays.equals(resealed, sealed) ? null : "sealed to " + Hex.encode(resealed);
  }

  private static boolean refusesNonce(TestVectors.Case c) {
    ChaChaPoly aead = new ChaChaPoly(c.hex("key"));
    try {
      aead.open(c.hex("iv"), c.hex("aad"), concat(c.hex("ct"), c.hex("tag")));
      return false;
    } catch (IllegalArgumentException | BadTagException e) {
      return true;
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
