package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * Scores: points, bounds, ceilings, decay, forgetting and the cap. Bans are in ReputationBanTest.
 */
class ReputationTest {

  private static final long HOUR = 3_600_000;

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);

  private Reputation book(int cap, String... trusted) {
    return Reputation.create(
        ReputationSettings.defaults().withMaxTracked(cap), clock, Set.of(trusted), Set.of());
  }

  @Test
  void eachEventMovesTheScoreByItsPoints() {
    for (ReputationEvent e : ReputationEvent.values()) {
      Reputation r = book(10);
      Reputation.Outcome o = r.record("p", e);
      assertThat(o.score()).as(e.name()).isEqualTo(e.points());
      assertThat(o.verdict()).isEqualTo(Reputation.Verdict.OK);
      assertThat(r.score("p")).as(e.name()).isEqualTo(e.points());
    }
  }

  @Test
  void faultsStopAtTheMinimum() {
    Reputation r = book(10, "t");
    for (int i = 0; i < 10; i++) {
      r.record("t", ReputationEvent.MALFORMED_PACKET);
    }
    assertThat(r.score("t")).isEqualTo(Reputation.MIN_SCORE);
  }

  @Test
  void goodEventsStopAtTheirCeilingAndTheMaximum() {
    Reputation r = book(10);
    for (int i = 0; i < 1_000; i++) {
      r.record("gossip", ReputationEvent.GOOD_MESSAGE);
      r.record("pex", ReputationEvent.VALID_PEX);
      r.record("old", ReputationEvent.CONNECTED_LONG);
    }
    assertThat(r.score("gossip")).isCloseTo(10, within(1e-9));
    assertThat(r.score("pex")).isEqualTo(10);
    assertThat(r.score("old")).isEqualTo(Reputation.MAX_SCORE);
    // Above its ceiling, a small good event leaves a score as it is rather than pulling it down.
    r.record("old", ReputationEvent.GOOD_MESSAGE);
    assertThat(r.score("old")).isEqualTo(Reputation.MAX_SCORE);
  }

  @Test
  void scoresHalveEveryHalfLifeAndAreThenForgotten() {
    Reputation r = book(10);
    r.record("p", ReputationEvent.MALFORMED_PACKET);
    clock.advance(HOUR);
    assertThat(r.score("p")).isCloseTo(-15, within(1e-9));
    clock.advance(HOUR);
    assertThat(r.score("p")).isCloseTo(-7.5, within(1e-9));
    r.record("p", ReputationEvent.CONNECTED_LONG);
    assertThat(r.score("p")).isCloseTo(-5.5, within(1e-9));
    clock.advance(10 * HOUR); // 5.5 / 1024 < 0.05
    assertThat(r.score("p")).isZero();
    assertThat(r.tracked()).isZero();
  }

  @Test
  void aClockSteppingBackDoesNotInflateScores() {
    Reputation r = book(10);
    r.record("p", ReputationEvent.MALFORMED_PACKET);
    clock.advance(-HOUR);
    assertThat(r.score("p")).isEqualTo(-30);
  }

  @Test
  void overTheCapThePeerClosestToNeutralIsEvicted() {
    Reputation r = book(3);
    r.record("a", ReputationEvent.MALFORMED_PACKET); // -30
    r.record("b", ReputationEvent.CONNECTED_LONG); // +2
    r.record("c", ReputationEvent.FRAME_BAD_TAG); // -20
    r.record("d", ReputationEvent.UNKNOWN_TOPIC); // -30: b goes
    assertThat(r.tracked()).isEqualTo(3);
    assertThat(ids(r)).containsExactly("a", "d", "c");
    r.record("e", ReputationEvent.VALID_PEX); // +1: the newcomer is closest, so it goes
    assertThat(ids(r)).containsExactly("a", "d", "c");
  }

  @Test
  void decayedEntriesAreForgottenBeforeAnyoneIsEvicted() {
    Reputation r = book(2);
    r.record("old", ReputationEvent.MALFORMED_PACKET);
    clock.advance(20 * HOUR);
    r.record("b", ReputationEvent.VALID_PEX);
    r.record("c", ReputationEvent.VALID_PEX);
    assertThat(ids(r)).containsExactly("b", "c");
  }

  @Test
  void theSnapshotListsScoresAndBansWorstFirst() {
    Reputation r = Reputation.create(ReputationSettings.defaults(), clock, Set.of(), Set.of("cfg"));
    r.record("good", ReputationEvent.CONNECTED_LONG);
    r.record("bad", ReputationEvent.FRAME_TOO_LONG);
    r.record("worse", ReputationEvent.LENGTH_MISMATCH);
    long until = r.record("worse", ReputationEvent.LENGTH_MISMATCH).bannedUntil();
    assertThat(r.snapshot())
        .containsExactly(
            new PeerReputation("worse", -25, until, 1, "LENGTH_MISMATCH"),
            new PeerReputation("bad", -20, BanList.NOT_BANNED, 0, null),
            new PeerReputation("cfg", 0, BanList.FOREVER, 0, BanList.CONFIGURED),
            new PeerReputation("good", 2, BanList.NOT_BANNED, 0, null));
    assertThat(r.standing("nobody")).isEqualTo(new PeerReputation("nobody", 0, -1, 0, null));
    assertThat(r.snapshot().get(0).banned()).isTrue();
  }

  @Test
  void theHistogramCountsTheGivenPeersByScore() {
    Reputation r = Reputation.create(ReputationSettings.defaults(), clock, Set.of("t"), Set.of());
    r.record("t", ReputationEvent.MALFORMED_PACKET);
    r.record("t", ReputationEvent.MALFORMED_PACKET); // -60, trusted so kept
    r.record("b", ReputationEvent.FRAME_TOO_SHORT); // -20
    r.record("g", ReputationEvent.VALID_PEX); // +1
    for (int i = 0; i < 6; i++) {
      r.record("old", ReputationEvent.CONNECTED_LONG); // +12
    }
    assertThat(r.histogram(List.of("t", "b", "g", "old", "new")))
        .containsExactly(
            new ScoreHistogram.Bucket("[-100,-50]", 1),
            new ScoreHistogram.Bucket("(-50,-10]", 1),
            new ScoreHistogram.Bucket("(-10,10)", 2),
            new ScoreHistogram.Bucket("[10,50)", 1),
            new ScoreHistogram.Bucket("[50,100]", 0));
  }

  @Test
  void histogramEdgesFollowTheLabels() {
    assertThat(ScoreHistogram.labels()).hasSize(5);
    assertThat(ScoreHistogram.bucket(-100)).isZero();
    assertThat(ScoreHistogram.bucket(-50)).isZero();
    assertThat(ScoreHistogram.bucket(-49.9)).isEqualTo(1);
    assertThat(ScoreHistogram.bucket(-10)).isEqualTo(1);
    assertThat(ScoreHistogram.bucket(9.99)).isEqualTo(2);
    assertThat(ScoreHistogram.bucket(10)).isEqualTo(3);
    assertThat(ScoreHistogram.bucket(50)).isEqualTo(4);
    assertThat(ScoreHistogram.bucket(100)).isEqualTo(4);
  }

  private static List<String> ids(Reputation r) {
    return r.snapshot().stream().map(PeerReputation::peerId).toList();
  }
}
