package network.canopy.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LazyPushRouterTest {

  private static final int TOPIC = 2;

  /** The graft timeout before any lag is learned. */
  private static final long COLD_WAIT = LazyParams.DEFAULTS.maxGraftTimeoutMs();

  /** Records what the router sends; a clock whose timers run when the test advances it. */
  private final List<String> sent = new ArrayList<>();

  private final List<String> abuse = new ArrayList<>();
  private final TreeMap<Long, List<Runnable>> timers = new TreeMap<>();
  private long now;

  private final GossipClock clock =
      new GossipClock() {
        @Override
        public long nowMillis() {
          return now;
        }

        @Override
        public Runnable schedule(long delay, Runnable task) {
          List<Runnable> at = timers.computeIfAbsent(now + delay, t -> new ArrayList<>());
          at.add(task);
          return () -> at.remove(task);
        }
      };

  private final GossipLinks<String, String> links =
      new GossipLinks<>() {
        @Override
        public void push(String peer, int topicId, String payload) {
          sent.add("push " + peer + " " + payload);
        }

        @Override
        public void control(String peer, LazyControl m) {
          sent.add(m.kind() + " " + peer + " " + m.ids().size());
        }

        @Override
        public void misbehaved(String peer, GossipAbuse kind, String detail) {
          abuse.add(peer + " " + kind);
        }
      };

  private final LazyPushRouter<String, String> router =
      new LazyPushRouter<>(LazyParams.DEFAULTS, links, clock, p -> p.length(), t -> t == TOPIC);

  private static GossipId id(int n) {
    byte[] raw = new byte[32];
    raw[0] = (byte) n;
    raw[1] = (byte) (n >> 8);
    return new GossipId(raw, null);
  }

  private void advance(long ms) {
    long until = now + ms;
    while (!timers.isEmpty() && timers.firstKey() <= until) {
      var e = timers.pollFirstEntry();
      now = e.getKey();
      e.getValue().forEach(Runnable::run);
    }
    now = until;
  }

  @Test
  void aDuplicatePrunesTheLinkItCameOverAndLaterMessagesAreOnlyAnnouncedThere() {
    router.peerUp("a", true);
    router.peerUp("b", true);
    router.peerUp("c", true);
    assertThat(router.accept("a", TOPIC, id(1))).isTrue();
    router.forward("a", TOPIC, id(1), "m1");
    assertThat(router.accept("b", TOPIC, id(1))).isFalse();
    assertThat(sent).containsExactly("push b m1", "push c m1", "PRUNE b 0");

    sent.clear();
    router.accept("a", TOPIC, id(2));
    router.forward("a", TOPIC, id(2), "m2");
    advance(LazyParams.DEFAULTS.announceDelayMs());
    assertThat(sent).containsExactly("push c m2", "IHAVE b 1");
    assertThat(router.eagerPeers(TOPIC)).containsExactly("a", "c");
  }

  @Test
  void anAnnouncedMessageThatTheTreeDoesNotBringIsGraftedFromTheAnnouncer() {
    router.peerUp("a", true);
    router.peerUp("b", true);
    router.onControl("b", new LazyControl(LazyControl.Kind.PRUNE, TOPIC, List.of()));
    router.onControl("b", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(7))));
    assertThat(router.missingCount()).isEqualTo(1);
    advance(COLD_WAIT);
    assertThat(sent).containsExactly("GRAFT b 1");
    assertThat(router.eagerPeers(TOPIC)).contains("b");
    assertThat(router.accept("b", TOPIC, id(7))).isTrue();
    assertThat(router.missingCount()).isZero();
  }

  @Test
  void aGraftIsAnsweredWithTheStoredPayload() {
    router.peerUp("a", true);
    router.accept(null, TOPIC, id(3));
    router.forward(null, TOPIC, id(3), "m3");
    sent.clear();
    router.onControl("a", new LazyControl(LazyControl.Kind.GRAFT, TOPIC, List.of(id(3), id(4))));
    assertThat(sent).containsExactly("push a m3");
  }

  @Test
  void aPeerWithoutLazyPushIsAlwaysFloodedAndNeverPruned() {
    router.peerUp("old", false);
    router.accept("old", TOPIC, id(5));
    router.forward("old", TOPIC, id(5), "m5");
    assertThat(router.accept("old", TOPIC, id(5))).isFalse();
    router.accept(null, TOPIC, id(6));
    router.forward(null, TOPIC, id(6), "m6");
    assertThat(sent).containsExactly("push old m6");
  }

  @Test
  void floodTopicsGoToEveryPeerWithoutAnnouncements() {
    router.peerUp("a", true);
    router.peerUp("b", true);
    router.accept("a", 1, id(8));
    router.forward("a", 1, id(8), "m8");
    router.accept("b", 1, id(8));
    advance(1000);
    assertThat(sent).containsExactly("push b m8");
  }

  @Test
  void tooManyAnnouncementsCostReputationOncePerInterval() {
    router.peerUp("spam", true);
    int max = LazyParams.DEFAULTS.maxAnnouncedPerInterval();
    for (int i = 0; i < max / LazyControl.MAX_IDS + 10; i++) {
      List<GossipId> ids = new ArrayList<>();
      for (int k = 0; k < LazyControl.MAX_IDS; k++) {
        ids.add(id(i * LazyControl.MAX_IDS + k + 1000));
      }
      router.onControl("spam", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, ids));
    }
    assertThat(abuse).containsExactly("spam ANNOUNCE_FLOOD");
    assertThat(router.missingCount()).isLessThanOrEqualTo(LazyParams.DEFAULTS.maxMissing());
  }

  @Test
  void anAnnouncerThatDoesNotDeliverWhenAskedIsCharged() {
    router.peerUp("liar", true);
    router.peerUp("honest", true);
    router.onControl("liar", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(9))));
    router.onControl("honest", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(9))));
    advance(COLD_WAIT);
    advance(COLD_WAIT);
    assertThat(sent).containsExactly("GRAFT liar 1", "GRAFT honest 1");
    assertThat(abuse).containsExactly("liar BROKEN_PROMISE");
  }

  @Test
  void aPayloadThatUsuallyTrailsItsAnnouncementByAVaryingLagIsNotPulledASecondTime() {
    router.peerUp("tree", true);
    router.peerUp("lazy", true);
    // Large payloads on a busy machine: the tree's copy arrives 0.3 to 1.5 s after a lazy peer's
    // IHAVE. Learning the lag's spread, not just its mean, keeps the GRAFTs for copies that are
    // really lost (twice the mean alone pulled 7 of these 16).
    long[] lags = {
      300, 900, 300, 1400, 300, 300, 1200, 300, 1500, 300, 300, 1300, 300, 1500, 300, 1400
    };
    int n = 0;
    for (long lag : lags) {
      GossipId id = id(100 + n++);
      router.onControl("lazy", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id)));
      advance(lag);
      router.accept("tree", TOPIC, id);
    }
    long grafts = sent.stream().filter(s -> s.startsWith("GRAFT")).count();
    assertThat(grafts).as("pulled while the tree's copy was on its way").isLessThanOrEqualTo(3);

    // A copy that is really lost is still pulled, within the learned wait (at most three times
    // the usual lag, here about 0.7 s).
    sent.clear();
    router.onControl("lazy", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(999))));
    advance(3 * 1500);
    assertThat(sent).containsExactly("GRAFT lazy 1");
  }

  @Test
  void aLargePayloadThatTrailsItsAnnouncementBySecondsIsNotPulledAgain() {
    router.peerUp("tree", true);
    router.peerUp("lazy", true);
    // 16 MiB blocks on a loaded machine: each hop takes seconds, so the tree's copy comes 5 to 9 s
    // after a nearer node's IHAVE. A wait capped at 2 s pulled every one of them again.
    long[] lags = {5000, 8000, 6000, 9000, 5000, 7000, 9000, 6000, 5000, 8000, 7000, 9000};
    int n = 0;
    for (long lag : lags) {
      if (n == 2) {
        sent.clear(); // the first two teach the lag (the first waits the cold-start timeout)
      }
      GossipId id = id(200 + n++);
      router.onControl("lazy", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id)));
      advance(lag);
      router.accept("tree", TOPIC, id);
    }
    long grafts = sent.stream().filter(s -> s.startsWith("GRAFT")).count();
    assertThat(grafts).as("pulled while the tree's copy was on its way").isLessThanOrEqualTo(1);
  }

  @Test
  void aNodeAsksItsAnnouncersAgainInsteadOfGivingUpButOnlyABoundedNumberOfTimes() {
    router.peerUp("a", true);
    router.peerUp("b", true);
    router.onControl("a", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(11))));
    router.onControl("b", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(11))));
    advance(COLD_WAIT);
    assertThat(sent).containsExactly("GRAFT a 1");
    advance(COLD_WAIT);
    assertThat(sent).containsExactly("GRAFT a 1", "GRAFT b 1");
    // Both asked, neither delivered (a copy dropped at a full send queue, or still crossing a slow
    // link): the node asks again rather than dropping the id, each wait twice the last, lest a
    // copy on its way come twice.
    advance(2 * COLD_WAIT - 1);
    assertThat(sent).hasSize(2);
    advance(1);
    assertThat(sent).containsExactly("GRAFT a 1", "GRAFT b 1", "GRAFT a 1");
    assertThat(router.missingCount()).isOne();
    advance(120_000);
    assertThat(sent).hasSize(LazyParams.DEFAULTS.maxGrafts());
    assertThat(router.missingCount()).isZero();
    assertThat(abuse).containsExactly("a BROKEN_PROMISE", "b BROKEN_PROMISE");
  }

  @Test
  void whenTheGraftedPeerDisconnectsTheNextAnnouncerIsAskedAtOnce() {
    router.peerUp("a", true);
    router.peerUp("b", true);
    router.onControl("a", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(12))));
    router.onControl("b", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id(12))));
    advance(COLD_WAIT);
    assertThat(sent).containsExactly("GRAFT a 1");
    router.peerDown("a");
    assertThat(sent).containsExactly("GRAFT a 1", "GRAFT b 1");
    assertThat(abuse).isEmpty();
    assertThat(router.accept("b", TOPIC, id(12))).isTrue();
    assertThat(router.missingCount()).isZero();
  }

  @Test
  void aCopyThatCameBecauseItWasAskedForDoesNotLengthenTheWait() {
    router.peerUp("tree", true);
    router.peerUp("lazy", true);
    // Each message is lost on the tree and pulled after the wait. Learning those arrivals would
    // teach a lag that contains the wait itself, and the wait would grow on itself (Karn's rule).
    for (int n = 0; n < 5; n++) {
      GossipId id = id(400 + n);
      router.onControl("lazy", new LazyControl(LazyControl.Kind.IHAVE, TOPIC, List.of(id)));
      sent.clear();
      advance(COLD_WAIT);
      assertThat(sent).as("message %d asked for after the unlearned wait", n).hasSize(1);
      advance(100);
      router.accept("lazy", TOPIC, id);
    }
  }
}
