package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.conn.ConnFixture.Conns;
import network.canopy.p2p.wire.Capability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node-wide memory budget: a send that would pass it fails with BUDGET_EXHAUSTED (not an
 * OutOfMemoryError, not a silent drop), and a connection whose held messages spend it stops reading
 * until the application frees room — then everything arrives.
 */
class MemoryBudgetTest {

  private static final int TOPIC = 1;
  private static final int MESSAGE = 16 * 1024;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  private static ConnSettings settings() {
    return ConnSettings.of(List.of(new TopicSpec(TOPIC, "tx", 1, 1 << 20, 8 << 20, 1 << 20)));
  }

  @Test
  void roomAheadOfTheDataIsTakenOnlyWhileReceivedDataStaysUnderHalfItsShare() {
    MemoryBudget budget = new MemoryBudget(1 << 20); // received data: 512 KiB
    assertThat(budget.tryAcquireAhead(200 * 1024)).isTrue();
    assertThat(budget.tryAcquireAhead(100 * 1024)).as("past half of the share").isFalse();
    assertThat(budget.refusedReceives()).as("declining costs nothing").isZero();
    assertThat(budget.used(MemoryBudget.Pool.REASSEMBLY)).isEqualTo(200 * 1024);
    assertThat(budget.tryAcquire(MemoryBudget.Pool.REASSEMBLY, 300 * 1024))
        .as("data as it arrives may still use the rest")
        .isTrue();
  }

  @Test
  void sendsAreRefusedOnceTheBudgetIsSpentAndAcceptedAgainWhenItFrees() throws Exception {
    MemoryBudget budget = new MemoryBudget(256 * 1024);
    Conns conns =
        net.connect(
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)),
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)));
    Recorder receiverSeen = new Recorder();
    AtomicBoolean stalled = new AtomicBoolean(true);
    receiverSeen.answer = (topic, payload) -> !stalled.get();
    MultiConn receiver = MultiConn.start(net.vertx, conns.acceptor(), settings(), receiverSeen);
    MultiConn sender =
        MultiConn.start(net.vertx, conns.dialer(), settings(), budget, new Recorder());

    int accepted = 0;
    SendResult last = SendResult.QUEUED;
    while (last == SendResult.QUEUED && accepted < 10_000) {
      last = sender.send(TOPIC, Buffer.buffer(new byte[MESSAGE]));
      accepted += last == SendResult.QUEUED ? 1 : 0;
    }
    // The topic's own queue (8 MiB) is far from full: the node-wide budget refused.
    assertThat(last).isEqualTo(SendResult.BUDGET_EXHAUSTED);
    assertThat(budget.used()).isLessThanOrEqualTo(budget.limit());
    assertThat(budget.refusedSends()).isPositive();

    stalled.set(false);
    receiver.resumeTopic(TOPIC);
    int expected = accepted;
    await().atMost(Duration.ofSeconds(20)).until(() -> receiverSeen.messages.size() == expected);
    await().atMost(Duration.ofSeconds(20)).until(() -> budget.used(MemoryBudget.Pool.SEND) == 0);
    assertThat(sender.send(TOPIC, Buffer.buffer(new byte[MESSAGE]))).isEqualTo(SendResult.QUEUED);
  }

  @Test
  void aConnectionHoldingTheSpentBudgetStopsReadingUntilItsApplicationCatchesUp() throws Exception {
    // The receiver's window (1 MiB) is larger than its node's whole budget (256 KiB).
    MemoryBudget budget = new MemoryBudget(256 * 1024);
    Conns conns =
        net.connect(
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)),
            ConnFixture.credentials(settings(), Set.of(Capability.WINDOW)));
    Recorder receiverSeen = new Recorder();
    AtomicBoolean stalled = new AtomicBoolean(true);
    receiverSeen.answer = (topic, payload) -> !stalled.get();
    MultiConn receiver =
        MultiConn.start(net.vertx, conns.acceptor(), settings(), budget, receiverSeen);
    MultiConn sender = MultiConn.start(net.vertx, conns.dialer(), settings(), new Recorder());

    int sent = 0;
    while (sent < 64
        && sender.send(TOPIC, Buffer.buffer(new byte[MESSAGE]).setInt(0, sent))
            == SendResult.QUEUED) {
      sent++;
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> receiver.stats().readPaused());
    assertThat(budget.pausedReads()).isPositive();
    // Held at most the budget plus what one read brings in (a 64 KiB socket read, decoded whole).
    assertThat(budget.used()).isLessThanOrEqualTo(budget.limit() + 64 * 1024 + MESSAGE);
    assertThat(receiver.isClosed()).isFalse();

    stalled.set(false);
    receiver.resumeTopic(TOPIC);
    int expected = sent;
    await().atMost(Duration.ofSeconds(20)).until(() -> receiverSeen.messages.size() == expected);
    assertThat(receiverSeen.messages.stream().map(m -> m.payload().getInt(0)).toList())
        .isSorted()
        .hasSize(expected);
    await().atMost(Duration.ofSeconds(20)).until(() -> !receiver.stats().readPaused());
  }
}
