package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Peer ids as users write them (either case), as keys make them, and as logs show them. */
class PeerIdTest {

  private static final String ID = "5edf89b9a5d393e5" + "0".repeat(48);

  @Test
  void upperCaseIsAcceptedAndNormalisedSoBothSpellingsAreOneId() {
    PeerId upper = PeerId.of(ID.toUpperCase());
    assertThat(upper).isEqualTo(PeerId.of(ID));
    assertThat(upper.hex()).isEqualTo(ID);
    assertThat(upper).hasToString(ID);
  }

  @Test
  void malformedIdsAreRefusedWithTheTextInTheMessage() {
    for (String bad :
        new String[] {
          "", ID.substring(1), ID + "0", "g" + ID.substring(1), " " + ID.substring(1)
        }) {
      assertThat(PeerId.parse(bad)).isEmpty();
      assertThatThrownBy(() -> PeerId.of(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a peer id");
    }
    assertThat(PeerId.parse(null)).isEmpty();
  }

  @Test
  void theIdOfAKeyIsTheNodesIdAndItsShortFormIsWhatLogsShow() {
    NodeIdentity identity = NodeIdentity.generate(new SecureRandom());
    PeerId id = PeerId.ofKey(identity.publicKey());
    assertThat(id.hex()).isEqualTo(identity.id());
    assertThat(id.shortForm()).isEqualTo(identity.shortId()).hasSize(8);
    assertThat(PeerId.shortForm(identity.id())).isEqualTo(id.shortForm());
    assertThatThrownBy(() -> PeerId.ofKey(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
