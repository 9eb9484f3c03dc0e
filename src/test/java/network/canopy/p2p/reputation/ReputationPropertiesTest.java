package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import network.canopy.p2p.testkit.ManualClock;

/**
 * Whatever events arrive, for whichever peers and however far apart: scores stay in bounds, a ban
 * never ends earlier than announced, trusted peers are never banned, configured bans never lift,
 * and an untrusted peer not banned always scores above the threshold.
 */
class ReputationPropertiesTest {

  private static final long HOUR = 3_600_000;
  private static final String TRUSTED = "p0";
  private static final String CONFIGURED = "p4";
  private static final List<String> PEERS = List.of("p0", "p1", "p2", "p3", CONFIGURED);

  /** One event for one peer, after some time has passed. */
  record Step(int peer, ReputationEvent event, long advanceMillis) {}

  @Property(tries = 300)
  void anyEventSequenceKeepsTheRules(@ForAll("steps") List<Step> steps, @ForAll("caps") int cap) {
    ReputationSettings settings = ReputationSettings.defaults().withMaxTracked(cap);
    ManualClock clock = new ManualClock(1_700_000_000_000L);
    Reputation r = Reputation.create(settings, clock, Set.of(TRUSTED), Set.of(CONFIGURED));
    Map<String, Long> announced = new HashMap<>();
    boolean banned = false;
    for (Step step : steps) {
      clock.advance(step.advanceMillis());
      String id = PEERS.get(step.peer());
      long before = r.bans().bannedUntil(id);
      Reputation.Outcome o = r.record(id, step.event());
      assertThat(o.score()).isBetween(Reputation.MIN_SCORE, Reputation.MAX_SCORE);
      if (o.verdict() == Reputation.Verdict.BANNED) {
        assertThat(before).isEqualTo(BanList.NOT_BANNED);
        assertThat(o.bannedUntil() - clock.getAsLong())
            .isBetween(settings.firstBanMillis(), settings.maxBanMillis());
        banned = true;
      }
      checkEveryPeer(r, settings, clock.getAsLong(), announced);
    }
    // The rules about bans are only tested if the generated sequences do ban peers.
    Statistics.label("a ban happened").collect(banned);
    Statistics.label("a ban happened").coverage(c -> c.check(true).percentage(p -> p > 40));
  }

  private static void checkEveryPeer(
      Reputation r, ReputationSettings settings, long now, Map<String, Long> announced) {
    for (String id : PEERS) {
      PeerReputation s = r.standing(id);
      assertThat(s.score()).isBetween(Reputation.MIN_SCORE, Reputation.MAX_SCORE);
      Long earlier = announced.get(id);
      if (earlier != null && now < earlier) {
        // Within one ban, the announced end only ever stays or moves later.
        assertThat(s.bannedUntil()).isGreaterThanOrEqualTo(earlier);
      }
      if (s.banned()) {
        announced.put(id, s.bannedUntil());
      }
      if (id.equals(TRUSTED)) {
        assertThat(s.banned()).isFalse();
      } else if (id.equals(CONFIGURED)) {
        assertThat(s.bannedUntil()).isEqualTo(BanList.FOREVER);
      } else if (!s.banned()) {
        assertThat(s.score()).isGreaterThan(settings.banThreshold());
      }
    }
    assertThat(r.tracked()).isLessThanOrEqualTo(settings.maxTracked());
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    // Mostly bursts (so scores reach the threshold), sometimes long gaps (so bans end and scores
    // decay).
    Arbitrary<Long> advance =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.just(0L)),
            Tuple.of(4, Arbitraries.longs().between(0, 10_000)),
            Tuple.of(1, Arbitraries.longs().between(0, 3 * HOUR)));
    return Combinators.combine(
            Arbitraries.integers().between(0, PEERS.size() - 1),
            Arbitraries.of(ReputationEvent.class),
            advance)
        .as(Step::new)
        .list()
        .ofMinSize(10)
        .ofMaxSize(200);
  }

  @Provide
  Arbitrary<Integer> caps() {
    return Arbitraries.of(2, 3, 10);
  }
}
