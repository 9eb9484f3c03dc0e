package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Wycheproof X25519 case through {@link X25519#dh}; all-zero secrets must be refused. */
class WycheproofX25519Test {

  @Test
  void allCasesAgreeOrAreRefusedAsLowOrder() {
    List<TestVectors.Case> cases = TestVectors.wycheproof("x25519_test.json");
    List<String> failures = new ArrayList<>();
    int agreed = 0;
    int refused = 0;
    for (TestVectors.Case c : cases) {
      byte[] expected = c.hex("shared");
      boolean zero = Arrays.equals(expected, new byte[32]);
      try {
        byte[] shared = X25519.dh(c.hex("private"), c.hex("public"));
        if (zero || !Arrays.equals(shared, expected)) {
          failures.add(c + ": got " + Hex.encode(shared));
        }
        agreed++;
      } catch (CryptoException e) {
        if (!zero) {
          failures.add(c + ": refused " + e.getMessage());
        }
        refused++;
      }
    }
    assertThat(failures).isEmpty();
    // SOURCE.txt: 518 cases (264 valid, 254 acceptable), 31 of them with an all-zero secret.
    assertThat(cases).hasSize(518);
    assertThat(refused).isEqualTo(31);
    assertThat(agreed).isEqualTo(518 - 31);
  }

  @Test
  void publicKeyOfPrivateKeyMatchesRfc7748Section6_1() throws CryptoException {
    byte[] alicePrivate =
        Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    byte[] bobPrivate =
        Hex.decode("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assertThat(Hex.encode(X25519.publicKey(alicePrivate)))
        .isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assertThat(Hex.encode(X25519.dh(alicePrivate, X25519.publicKey(bobPrivate))))
        .isEqualTo("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
  }
}
