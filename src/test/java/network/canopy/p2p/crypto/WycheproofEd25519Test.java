package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Wycheproof Ed25519 verification case: valid ones verify, invalid ones return false. */
class WycheproofEd25519Test {

  @Test
  void verifyAgreesWithEveryCaseAndNeverThrows() {
    List<TestVectors.Case> cases = TestVectors.wycheproof("ed25519_test.json");
    List<String> failures = new ArrayList<>();
    int valid = 0;
    int invalid = 0;
    for (TestVectors.Case c : cases) {
      byte[] publicKey = Hex.decode(c.group().getJsonObject("publicKey").getString("pk"));
      boolean expected =
          switch (c.result()) {
            case "valid" -> true;
            case "invalid" -> false;
            default -> throw new IllegalStateException(c + ": unexpected result " + c.result());
          };
      // Any exception escaping verify fails the test by propagating: that is the point.
      boolean actual = Ed25519.verify(publicKey, c.hex("msg"), c.hex("sig"));
      if (actual != expected) {
        failures.add(c + ": expected " + expected);
      }
      if (expected) {
        valid++;
      } else {
        invalid++;
      }
    }
    assertThat(failures).isEmpty();
    assertThat(valid).isEqualTo(88);
    assertThat(invalid).isEqualTo(63);
  }

  @Test
  void malformedInputsGiveFalse() {
    byte[] seed = new byte[32];
    byte[] publicKey = Ed25519.publicKey(seed);
    byte[] message = {1, 2, 3};
    byte[] signature = Ed25519.sign(seed, publicKey, message);
    assertThat(Ed25519.verify(publicKey, message, signature)).isTrue();
    assertThat(Ed25519.verify(null, message, signature)).isFalse();
    assertThat(Ed25519.verify(publicKey, null, signature)).isFalse();
    assertThat(Ed25519.verify(publicKey, message, null)).isFalse();
    assertThat(Ed25519.verify(new byte[31], message, signature)).isFalse();
    assertThat(Ed25519.verify(publicKey, message, new byte[63])).isFalse();
    assertThat(Ed25519.verify(publicKey, message, new byte[65])).isFalse();
    byte[] allOnes = new byte[32];
    java.util.Arrays.fill(allOnes, (byte) 0xff);
    assertThat(Ed25519.verify(allOnes, message, signature)).isFalse();
  }
}
