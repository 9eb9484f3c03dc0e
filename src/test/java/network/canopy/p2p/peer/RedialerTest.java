package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.testing.SocketlessConns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Peers the node must keep (p2p.dial, must-connect) are dialled at start and after every drop, with
 * exponential backoff (0.5 s doubling to 60 s, ±20 % jitter) that only a connection lasting 2 s
 * resets. The redialer's timers are driven by hand here: the test reads each delay it asked for.
 */
class RedialerTest {

  private static final PeerAddress KEPT =
      new PeerAddress(SocketlessConns.randomId(), new HostPort("127.0.0.1", 9101));
  private static final PeerAddress MUST =
      new PeerAddress(SocketlessConns.randomId(), new HostPort("127.0.0.1", 9102));

  private final Vertx vertx = Vertx.vertx();
  private final Addresses addresses =
      new Addresses("redial-" + SocketlessConns.randomId().substring(0, 8));

  /** The dial requests the dialer received, as ID@HOST:PORT. */
  private final List<String> dials = new CopyOnWriteArrayList<>();

  private final AtomicBoolean dialsSucceed = new AtomicBoolean();
  private final Set<String> connected = ConcurrentHashMap.newKeySet();
  private final HandTimers timers = new HandTimers();
  private Context context;
  private Redialer redialer;

  /** Timers that fire only when the test says so. */
  static final class HandTimers implements Redialer.Timers {
    record Pending(long id, long delayMs, Runnable action) {}

    final List<Pending> pending = new CopyOnWriteArrayList<>();
    private long next;

    @Override
    public long set(long delayMs, Runnable action) {
      Pending p = new Pending(++next, delayMs, action);
      pending.add(p);
      return p.id();
    }

    @Override
    public void cancel(long timerId) {
      pending.removeIf(p -> p.id() == timerId);
    }
  }

  @BeforeEach
  void setUp() {
    vertx
        .eventBus()
        .<String>consumer(
            addresses.dial(),
            msg -> {
              dials.add(msg.body());
              if (dialsSucceed.get()) {
                msg.reply("connected");
              } else {
                msg.fail(1, "connection refused");
              }
            });
    context = vertx.getOrCreateContext();
    redialer = new Redialer(vertx, addresses, List.of(KEPT), connected::contains, timers);
  }

  @AfterEach
  void tearDown() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void anUnreachableKeptPeerIsRedialledWithDoublingBackoffCappedAtAMinute() {
    onContext(redialer::start);
    long[] expected = {500, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000};
    for (int attempt = 0; attempt < expected.length; attempt++) {
      int dialled = attempt + 1;
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> dials.size() == dialled && timers.pending.size() == 1);
      assertThat(dials).last().isEqualTo(KEPT.toString());
      assertJittered(timers.pending.get(0).delayMs(), expected[attempt]);
      fireOnlyTimer();
    }
  }

  @Test
  void onlyAConnectionThatLastedTwoSecondsResetsTheBackoff() {
    dialsSucceed.set(true);
    onContext(redialer::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> dials.size() == 1);
    long[] delays = new long[4];
    for (int i = 0; i < 3; i++) { // refused right after each handshake (full, duplicate, ...)
      onContext(() -> redialer.disconnected(KEPT.id(), 50));
      delays[i] = timers.pending.get(0).delayMs();
      fireOnlyTimer();
      int dialled = i + 2;
      await().atMost(Duration.ofSeconds(10)).until(() -> dials.size() == dialled);
    }
    onContext(() -> redialer.disconnected(KEPT.id(), Redialer.STABLE_MS));
    delays[3] = timers.pending.get(0).delayMs();

    assertJittered(delays[0], 500);
    assertJittered(delays[1], 1_000);
    assertJittered(delays[2], 2_000);
    assertJittered(delays[3], 500);
  }

  @Test
  void aKeptPeerAlreadyConnectedWhenItsTimerFiresIsNotDialledAgain() {
    onContext(redialer::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> timers.pending.size() == 1);
    connected.add(KEPT.id()); // it dialled us meanwhile
    fireOnlyTimer();

    assertThat(dials).hasSize(1);
    assertThat(timers.pending).isEmpty();
  }

  @Test
  void mustConnectPeersAreDialledAtOnceAndForgottenWhenDropped() {
    onContext(redialer::start);
    onContext(() -> redialer.replaceMustConnect(List.of(MUST)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> dials.contains(MUST.toString()) && timers.pending.size() == 2);
    assertThat(redialer.kept()).containsExactlyInAnyOrder(KEPT.id(), MUST.id());

    onContext(() -> redialer.replaceMustConnect(List.of()));
    assertThat(timers.pending).as("the dropped peer's redial is cancelled").hasSize(1);
    assertThat(redialer.kept()).containsExactly(KEPT.id());
    onContext(() -> redialer.disconnected(MUST.id(), 60_000));
    assertThat(timers.pending).as("a dropped must-connect peer is not redialled").hasSize(1);
  }

  @Test
  void aKeptPeerThisNodeRefusedIsTriedAgainLaterAndOthersAreNot() {
    dialsSucceed.set(true);
    onContext(redialer::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> dials.size() == 1);

    onContext(() -> redialer.refusedLocally(SocketlessConns.randomId()));
    onContext(() -> redialer.disconnected(SocketlessConns.randomId(), 60_000));
    assertThat(timers.pending).as("peers the node does not keep").isEmpty();

    onContext(() -> redialer.refusedLocally(KEPT.id())); // say, banned for a while
    assertThat(timers.pending).hasSize(1);
  }

  @Test
  void aKeptPeerThatSaidItBansThisNodeIsNotDialledBeforeTheBanEnds() {
    dialsSucceed.set(true);
    onContext(redialer::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> dials.size() == 1);

    long tenMinutes = 600_000;
    onContext(() -> redialer.toldBanned(KEPT.id(), System.currentTimeMillis() + tenMinutes));
    onContext(() -> redialer.disconnected(KEPT.id(), 50));
    assertThat(timers.pending.get(0).delayMs())
        .isBetween((long) (tenMinutes * 0.79), (long) (tenMinutes * 1.2));
    fireOnlyTimer();
    await().atMost(Duration.ofSeconds(10)).until(() -> dials.size() == 2);

    onContext(() -> redialer.disconnected(KEPT.id(), 50)); // the notice was for that one ban only
    assertThat(timers.pending.get(0).delayMs()).isLessThan(2_000);
  }

  @Test
  void afterStopNothingIsDialledAgain() {
    onContext(redialer::start);
    await().atMost(Duration.ofSeconds(10)).until(() -> timers.pending.size() == 1);
    HandTimers.Pending left = timers.pending.get(0);

    onContext(redialer::stop);
    assertThat(timers.pending).isEmpty();
    onContext(left.action()); // a timer that fired as the node stopped
    onContext(() -> redialer.disconnected(KEPT.id(), 50));

    assertThat(dials).hasSize(1);
    assertThat(timers.pending).isEmpty();
  }

  private static void assertJittered(long delayMs, long base) {
    assertThat(delayMs)
        .as("%d ms ±20%%", base)
        .isBetween((long) (base * 0.8), (long) Math.ceil(base * 1.2));
  }

  private void fireOnlyTimer() {
    assertThat(timers.pending).hasSize(1);
    HandTimers.Pending p = timers.pending.remove(0);
    onContext(p.action());
  }

  /**
   * Runs {@code action} on the redialer's context (its owner's, as in the node) and waits for it.
   */
  private void onContext(Runnable action) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(
        v -> {
          try {
            action.run();
            done.complete(null);
          } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
          }
        });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("action on the redialer's context failed", e);
    }
  }
}
