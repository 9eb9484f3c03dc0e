package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Wycheproof HKDF-SHA256 case through {@link Hkdf#derive}. */
class WycheproofHkdfTest {

  @Test
  void deriveAgreesWithEveryCase() {
    List<TestVectors.Case> cases = TestVectors.wycheproof("hkdf_sha256_test.json");
    List<String> failures = new ArrayList<>();
    int derived = 0;
    int refused = 0;
    for (TestVectors.Case c : cases) {
      int size = c.test().getInteger("size");
      if (c.result().equals("invalid")) {
        // The only invalid cases ask for more than 255 * 32 bytes.
        try {
          Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size);
          failures.add(c + ": oversized output was not refused");
        } catch (IllegalArgumentException expected) {
          refused++;
        }
        continue;
      }
      byte[] okm = Hkdf.derive(c.hex("salt"), c.hex("ikm"), c.hex("info"), size);
      if (!Arrays.equals(okm, c.hex("okm"))) {
        failures.add(c + ": got " + Hex.encode(okm));
      }
      derived++;
    }
    assertThat(failures).isEmpty();
    assertThat(derived).isEqualTo(83);
    assertThat(refused).isEqualTo(3);
  }

  @Test
  void noiseHkdfIsRfc5869WithEmptyInfo() {
    byte[] ck = Hex.decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    byte[] ikm = {42, 43};
    byte[] okm = Hkdf.derive(ck, ikm, new byte[0], 96);
    byte[][] three = Hkdf.noise(ck, ikm, 3);
    assertThat(three[0]).isEqualTo(Arrays.copyOfRange(okm, 0, 32));
    assertThat(three[1]).isEqualTo(Arrays.copyOfRange(okm, 32, 64));
    assertThat(three[2]).isEqualTo(Arrays.copyOfRange(okm, 64, 96));
    byte[][] two = Hkdf.noise(ck, ikm, 2);
    assertThat(two[0]).isEqualTo(three[0]);
    assertThat(two[1]).isEqualTo(three[1]);
    assertThatThrownBy(() -> Hkdf.noise(ck, ikm, 4)).isInstanceOf(IllegalArgumentException.class);
  }
}
