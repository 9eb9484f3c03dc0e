package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import network.canopy.p2p.conn.CloseReason;
import org.junit.jupiter.api.Test;

class ReputationEventTest {

  private static final Set<ReputationEvent> POSITIVE =
      EnumSet.of(
          ReputationEvent.GOOD_MESSAGE, ReputationEvent.VALID_PEX, ReputationEvent.CONNECTED_LONG);

  @Test
  void everyPeerFaultCloseReasonCostsPointsUnderItsOwnName() {
    for (CloseReason reason : CloseReason.values()) {
      if (reason.peerFault()) {
        assertThat(ReputationEvent.of(reason))
            .as(reason.name())
            .hasValueSatisfying(
                e -> {
                  assertThat(e.name()).isEqualTo(reason.name());
                  assertThat(e.points()).isNegative();
                });
      }
    }
  }

  @Test
  void reasonsThatAreNotThePeersFaultCostNothingExceptAHeartbeatTimeout() {
    for (CloseReason reason : CloseReason.values()) {
      if (reason == CloseReason.HEARTBEAT_TIMEOUT) {
        assertThat(ReputationEvent.of(reason)).contains(ReputationEvent.HEARTBEAT_TIMEOUT);
      } else if (!reason.peerFault()) {
        assertThat(ReputationEvent.of(reason)).as(reason.name()).isEmpty();
      }
    }
  }

  @Test
  void onlyTheGoodEventsArePositiveAndTheyAreSmall() {
    for (ReputationEvent e : ReputationEvent.values()) {
      assertThat(e.points() > 0).as(e.name()).isEqualTo(POSITIVE.contains(e));
      assertThat(e.points()).as(e.name()).isNotZero().isBetween(-Reputation.MAX_SCORE, 2.0);
    }
  }

  @Test
  void twoPacketErrorsReachTheThresholdButOneFrameErrorOrHeartbeatDoesNot() {
    double threshold = ReputationSettings.defaults().banThreshold();
    assertThat(2 * ReputationEvent.MALFORMED_PACKET.points()).isLessThan(threshold);
    assertThat(2 * ReputationEvent.UNKNOWN_TOPIC.points()).isLessThan(threshold);
    assertThat(2 * ReputationEvent.FRAME_BAD_TAG.points()).isGreaterThan(threshold);
    double probation = ReputationSettings.defaults().probationScore();
    assertThat(probation + ReputationEvent.HEARTBEAT_TIMEOUT.points()).isGreaterThan(threshold);
    assertThat(probation + ReputationEvent.MALFORMED_PACKET.points())
        .isLessThanOrEqualTo(threshold);
  }
}
