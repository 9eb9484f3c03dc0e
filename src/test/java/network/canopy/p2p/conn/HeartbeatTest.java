package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.ConnFixture.Conns;
import network.canopy.p2p.conn.ConnFixture.Pair;
import network.canopy.p2p.wire.ControlMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A silent peer is dropped after the heartbeat timeout; a live one, busy or idle, is kept. */
class HeartbeatTest {

  private static final long INTERVAL_MS = 100;
  private static final long TIMEOUT_MS = 400;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  static ConnSettings settings() {
    return ConnSettings.of(List.of(new TopicSpec(1, "t", 4, 1 << 20, 1 << 20, 1 << 20)))
        .withHeartbeat(INTERVAL_MS, TIMEOUT_MS);
  }

  private record Setup(RawConn raw, MultiConn multi, Recorder seen, long startedAt) {}

  private Setup rawDialer() throws Exception {
    Conns conns =
        net.connect(ConnFixture.credentials(settings()), ConnFixture.credentials(settings()));
    long startedAt = System.nanoTime();
    Recorder seen = new Recorder();
    MultiConn multi = MultiConn.start(net.vertx, conns.acceptor(), settings(), seen);
    return new Setup(RawConn.start(conns.dialer()), multi, seen, startedAt);
  }

  @Test
  void peerSilentAfterTheHandshakeIsDroppedAtTheTimeout() throws Exception {
    Setup s = rawDialer();
    Recorder.Closed closed = s.seen().awaitClosed();
    long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s.startedAt());
    assertThat(closed.reason()).isEqualTo(CloseReason.HEARTBEAT_TIMEOUT);
    assertThat(closed.reason().peerFault()).isFalse();
    assertThat(afterMs).as("never before the timeout").isGreaterThanOrEqualTo(TIMEOUT_MS);
    // It pinged the silent peer on the way, and said goodbye.
    assertThat(s.raw().control.poll()).isInstanceOf(ControlMessage.Ping.class);
    ControlMessage bye = s.raw().nextNonPing();
    assertThat(((ControlMessage.Goodbye) bye).code()).isEqualTo(ControlMessage.GOODBYE_TIMEOUT);
  }

  @Test
  void peersAnsweringPingsStayConnectedAndMeasureRoundTrips() throws Exception {
    Pair p = net.pair(settings(), settings());
    // Ten round trips take at least nine intervals (the first ping goes at once): more than twice
    // the timeout with no data at all.
    p.dialerSeen().awaitRtts(10);
    p.acceptorSeen().awaitRtts(10);
    assertThat(p.dialer().isClosed()).isFalse();
    assertThat(p.acceptor().isClosed()).isFalse();
    assertThat(p.dialer().stats().lastRttNanos()).isPositive();
  }

  @Test
  void theRoundTripIsMeasuredAsTheConnectionStartsNotAfterAnInterval() throws Exception {
    // Receive windows are sized by the link's round trip (ReceiveWindows): it must be known
    // before bulk data can queue in front of the PONGs, so the first PING goes at once.
    ConnSettings slow =
        ConnSettings.of(List.of(new TopicSpec(1, "t", 4, 1 << 20, 1 << 20, 1 << 20)))
            .withHeartbeat(600_000, 2_400_000);
    Pair p = net.pair(slow, slow);
    p.dialerSeen().awaitRtts(1); // within ConnFixture.TIMEOUT_S, far less than the 10 min interval
    p.acceptorSeen().awaitRtts(1);
    assertThat(p.dialer().stats().lastRttNanos()).isPositive();
    assertThat(p.acceptor().stats().lastRttNanos()).isPositive();
  }

  @Test
  void busyPeerThatNeverAnswersPingsIsKeptUntilItFallsSilent() throws Exception {
    Setup s = rawDialer();
    int messages = 20; // one every 50 ms: a second of traffic, 2.5 times the timeout
    int[] sent = new int[1];
    s.raw()
        .conn
        .context()
        .runOnContext(
            v ->
                net.vertx.setPeriodic(
                    50,
                    id -> {
                      s.raw().send(RawFrames.frame().whole(1, new byte[] {(byte) sent[0]}).bytes());
                      if (++sent[0] == messages) {
                        net.vertx.cancelTimer(id);
                      }
                    }));
    for (int i = 0; i < messages; i++) {
      assertThat(s.seen().next().payload().getByte(0)).isEqualTo((byte) i);
    }
    long lastAt = System.nanoTime();
    assertThat(s.multi().isClosed()).as("kept while frames kept coming").isFalse();
    assertThat(s.seen().awaitClosed().reason()).isEqualTo(CloseReason.HEARTBEAT_TIMEOUT);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastAt))
        .isGreaterThanOrEqualTo(
            TIMEOUT_MS - 60); // the last frame may have arrived up to 50 ms earlier
  }
}
