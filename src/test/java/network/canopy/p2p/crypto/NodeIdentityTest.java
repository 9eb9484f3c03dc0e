package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NodeIdentityTest {
  /** RFC 8032 section 7.1, TEST 1. */
  private static final byte[] SEED =
      Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  private static final String PUBLIC =
      "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
  private static final String SIGNATURE_OF_EMPTY =
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

  @Test
  void matchesRfc8032TestOne() {
    NodeIdentity identity = NodeIdentity.fromSeed(SEED);
    assertThat(identity.id()).isEqualTo(PUBLIC);
    assertThat(identity.shortId()).isEqualTo("d75a9801");
    assertThat(Hex.encode(identity.publicKey())).isEqualTo(PUBLIC);
    assertThat(Hex.encode(identity.sign(new byte[0]))).isEqualTo(SIGNATURE_OF_EMPTY);
  }

  @Test
  void signaturesVerifyOnlyForTheirMessageAndKey() {
    NodeIdentity alice = NodeIdentity.generate(new SecureRandom());
    NodeIdentity bob = NodeIdentity.generate(new SecureRandom());
    byte[] message = {1, 2, 3, 4};
    byte[] signature = alice.sign(message);
    assertThat(NodeIdentity.verify(alice.publicKey(), message, signature)).isTrue();
    assertThat(NodeIdentity.verify(bob.publicKey(), message, signature)).isFalse();
    assertThat(NodeIdentity.verify(alice.publicKey(), new byte[] {1, 2, 3, 5}, signature))
        .isFalse();
    assertThat(alice.id()).matches("[0-9a-f]{64}").isNotEqualTo(bob.id());
  }

  @Test
  void toStringNeverShowsTheSeed() {
    NodeIdentity identity = NodeIdentity.fromSeed(SEED);
    assertThat(identity.toString()).contains(PUBLIC).doesNotContain(Hex.encode(SEED));
  }
}
