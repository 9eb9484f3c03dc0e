package network.canopy.p2p.conn;

import static network.canopy.p2p.conn.RawFrames.START;
import static network.canopy.p2p.conn.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import network.canopy.p2p.conn.ConnFixture.Conns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Received data within its half of the node's memory budget (docs/PROTOCOL.md §11.2): a peer that
 * starts a large message gets only the room it is granted, the node's own sends keep theirs, and a
 * peer that then stalls mid-message is closed with STALLED_MESSAGE and gives its room back.
 */
class ReceiveBudgetTest {

  private static final int TOPIC = 1;
  private static final int CHUNK = 60_000;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static ConnSettings settings() {
    return ConnSettings.of(List.of(new TopicSpec(TOPIC, "blocks", 4, 8 << 20, 8 << 20, 1 << 20)));
  }

  @Test
  void aLargeMessageGrowsOnlyIntoGrantedRoomAndAStalledHolderIsClosed() throws Exception {
    MemoryBudget budget = new MemoryBudget(1 << 20); // 512 KiB for received data, 512 KiB for sends
    Conns conns =
        net.connect(ConnFixture.credentials(settings()), ConnFixture.credentials(settings()));
    Recorder seen = new Recorder();
    MultiConn multi = MultiConn.start(net.vertx, conns.acceptor(), settings(), budget, seen);
    RawConn raw = RawConn.start(conns.dialer());

    // 6,000,000 bytes of an 8 MiB message (12 times what received data may hold), then silence.
    for (int sent = 0; sent < 100; sent++) {
      raw.send(
          sent == 0
              ? frame().start(TOPIC, START, 8 << 20, new byte[CHUNK]).bytes()
              : frame().continuation(TOPIC, 0, new byte[CHUNK]).bytes());
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> multi.stats().readPaused());
    assertThat(budget.pausedReads()).isPositive();
    // Growing by doubling before asking, the array would have reached 960,000 bytes; asking first,
    // it may pass its half by the frame in hand and the rest of one socket read at most.
    assertThat(budget.used(MemoryBudget.Pool.REASSEMBLY))
        .isLessThanOrEqualTo(budget.receiveShare() + 2L * 65_536);
    assertThat(budget.used(MemoryBudget.Pool.SEND)).isZero();

    // The inbound half is spent; the node's own sends still have theirs.
    assertThat(multi.send(TOPIC, Buffer.buffer(new byte[64 * 1024]))).isEqualTo(SendResult.QUEUED);

    Recorder.Closed closed = seen.awaitClosed();
    assertThat(closed.reason()).isEqualTo(CloseReason.STALLED_MESSAGE);
    assertThat(closed.reason().peerFault()).isTrue();
    assertThat(budget.stalledCloses()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.used() == 0);
  }

  @Test
  void aPartMessageIsNotClosedWhileTheBudgetHasRoom() throws Exception {
    MemoryBudget budget = new MemoryBudget(64 << 20);
    Conns conns =
        net.connect(ConnFixture.credentials(settings()), ConnFixture.credentials(settings()));
    Recorder seen = new Recorder();
    MultiConn multi = MultiConn.start(net.vertx, conns.acceptor(), settings(), budget, seen);
    RawConn raw = RawConn.start(conns.dialer());
    raw.send(frame().start(TOPIC, START, 2 * CHUNK, new byte[CHUNK]).bytes());
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> budget.used(MemoryBudget.Pool.REASSEMBLY) > 0);
    // Past the stall deadline the part is still held: nothing needs its room.
    await()
        .during(Duration.ofMillis(BudgetAccount.STALL_DEADLINE_MS + 500))
        .atMost(Duration.ofSeconds(20))
        .until(() -> !multi.isClosed());
    raw.send(frame().continuation(TOPIC, RawFrames.END, new byte[CHUNK]).bytes());
    assertThat(seen.next().payload().length()).isEqualTo(2 * CHUNK);
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.used() == 0);
  }
}
