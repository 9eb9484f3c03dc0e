package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.conn.ConnFixture.Conns;
import network.canopy.p2p.conn.ConnFixture.Pair;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Per-topic receive windows (capability window/1, docs/PROTOCOL.md §11.4): a stalled topic stops at
 * the sender while another topic of the same connection keeps flowing, the socket is never paused
 * for an honest peer, and a peer that sends past its window is reported and paused.
 */
class WindowFlowTest {

  private static final int SLOW = 1;
  private static final int URGENT = 2;
  private static final int INBOX = 256 * 1024;
  private static final int MESSAGE = 16 * 1024;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static ConnSettings settings() {
    return ConnSettings.of(
        List.of(
            new TopicSpec(SLOW, "tx", 1, 1 << 20, 4 << 20, INBOX),
            new TopicSpec(URGENT, "consensus", 8, 1 << 20, 4 << 20, INBOX)));
  }

  @Test
  void aStalledTopicStopsAtTheSenderWhileAnotherKeepsFlowing() throws Exception {
    Pair p = net.pair(settings(), settings(), Set.of(Capability.WINDOW));
    Recorder seen = p.acceptorSeen();
    AtomicBoolean slowStalled = new AtomicBoolean(true);
    seen.answer = (topic, payload) -> topic != SLOW || !slowStalled.get();

    // Fill the slow topic until the sender's own queue refuses: its window closed, not the socket.
    List<Integer> accepted = new ArrayList<>();
    int seq = 0;
    while (accepted.size() < 2_000) {
      SendResult r = p.dialer().send(SLOW, Buffer.buffer(new byte[MESSAGE]).setInt(0, seq));
      if (r == SendResult.QUEUE_FULL) {
        break;
      }
      assertThat(r).isEqualTo(SendResult.QUEUED);
      accepted.add(seq++);
    }
    assertThat(accepted).as("the slow topic's sender queue filled").hasSizeLessThan(2_000);
    // The receiver held one window's worth at most: the window is its inbox bound.
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                p.dialer().stats().topics().get(0).queuedBytes() > 0
                    && p.acceptor().stats().inboxBytes() >= INBOX - 2 * MESSAGE);
    ConnStats held = p.acceptor().stats();
    assertThat(held.inboxBytes())
        .as("bytes waiting for the stalled consumer")
        .isLessThanOrEqualTo(INBOX);
    assertThat(held.readPaused()).as("the socket is not paused for an honest peer").isFalse();

    // The other topic of the same connection still flows while the slow one is stalled.
    for (int i = 0; i < 20; i++) {
      assertThat(p.dialer().send(URGENT, Buffer.buffer(new byte[] {(byte) i})))
          .isEqualTo(SendResult.QUEUED);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> seen.messages.stream().filter(m -> m.topic() == URGENT).count() == 20);
    assertThat(p.acceptor().stats().readPaused()).isFalse();

    // The consumer catches up: every accepted message arrives, in order.
    slowStalled.set(false);
    p.acceptor().resumeTopic(SLOW);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> seen.messages.stream().filter(m -> m.topic() == SLOW).count() == accepted.size());
    assertThat(
            seen.messages.stream().filter(m -> m.topic() == SLOW).map(m -> m.payload().getInt(0)))
        .containsExactlyElementsOf(accepted);
  }

  @Test
  void aPeerIgnoringItsWindowIsReportedAndPaused() throws Exception {
    Conns conns =
        net.connect(
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)),
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)));
    Recorder seen = new Recorder();
    seen.answer = (topic, payload) -> false; // stalled from the first message
    MultiConn multi = MultiConn.start(net.vertx, conns.acceptor(), settings(), seen);
    List<String> reports = seen.windowReports;
    RawConn raw = RawConn.start(conns.dialer());
    // The honest grant on a 256 KiB inbox: 192 KiB beyond the initial 64 KiB.
    ControlMessage grant = raw.nextNonPing();
    assertThat(grant).isInstanceOf(ControlMessage.WindowUpdate.class);

    // Send far past the window (1 MiB on a 256 KiB window) as 16 KiB messages, ignoring it.
    for (int i = 0; i < 64; i++) {
      raw.send(RawFrames.frame().whole(SLOW, new byte[MESSAGE]).bytes());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> multi.stats().readPaused());
    assertThat(reports).as("one report for the episode").hasSize(1);
    assertThat(reports.get(0)).contains("topic " + SLOW);
    assertThat(multi.stats().inboxBytes()).isLessThan(64L * MESSAGE);
    assertThat(multi.isClosed()).as("ignoring windows pauses, it does not close").isFalse();
  }
}
