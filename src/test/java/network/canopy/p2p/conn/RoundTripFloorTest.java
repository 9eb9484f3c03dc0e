package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The round trip receive windows are sized by is the link's floor: a PONG that queued behind bulk
 * data does not raise it while a quick one from the last 10 to 20 s is known, and it follows the
 * link up once the quick ones are that old.
 */
class RoundTripFloorTest {

  private static final long MS = 1_000_000;
  private static final long SPAN = RoundTripFloor.SPAN_NANOS;

  @Test
  void unknownUntilTheFirstSample() {
    RoundTripFloor floor = new RoundTripFloor();
    assertThat(floor.nanos(0)).isEqualTo(-1);
    floor.sample(-1, 0);
    assertThat(floor.nanos(0)).isEqualTo(-1);
    floor.sample(3 * MS, 5);
    assertThat(floor.nanos(10)).isEqualTo(3 * MS);
  }

  @Test
  void roundTripsInflatedByQueueingDoNotRaiseTheFloor() {
    RoundTripFloor floor = new RoundTripFloor();
    long t = 1_000;
    floor.sample(MS / 5, t);
    for (int second = 1; second <= 15; second++) {
      floor.sample(40 * MS, t + second * 1_000 * MS);
      assertThat(floor.nanos(t + second * 1_000 * MS)).isEqualTo(MS / 5);
    }
  }

  @Test
  void theFloorFollowsTheLinkUpOnceTheQuickSamplesAreOld() {
    RoundTripFloor floor = new RoundTripFloor();
    long t = 1_000;
    floor.sample(MS / 5, t);
    long second = 1_000 * MS;
    for (long at = t + second; at <= t + 2 * SPAN + second; at += second) {
      floor.sample(40 * MS, at);
    }
    assertThat(floor.nanos(t + 2 * SPAN + second)).isEqualTo(40 * MS);
  }

  @Test
  void forgottenAfterTwoSpansWithoutSamples() {
    RoundTripFloor floor = new RoundTripFloor();
    floor.sample(MS, 0);
    assertThat(floor.nanos(SPAN + 1)).as("the previous span still counts").isEqualTo(MS);
    assertThat(floor.nanos(2 * SPAN + 2)).isEqualTo(-1);
  }
}
