package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import network.canopy.p2p.conn.ConnFixture.Pair;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gossip's full-queue policy: sending to a peer that stopped reading never waits and never grows
 * the queue past its bound; the oldest queued messages give way, each one counted, and the newest
 * still arrive once the peer reads again.
 */
class DropOldestTest {

  private static final int TOPIC = 1;
  private static final int MESSAGE = 16 * 1024;
  private static final int QUEUE = 256 * 1024;
  private static final int COUNT = 400;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void aStalledPeerCostsDroppedOldMessagesNotWaitsOrMemory() throws Exception {
    ConnSettings sender =
        ConnSettings.of(List.of(new TopicSpec(TOPIC, "consensus", 8, 64 * 1024, QUEUE, QUEUE)))
            .withConnSendQueueBytes(1 << 20);
    ConnSettings receiver =
        ConnSettings.of(List.of(new TopicSpec(TOPIC, "consensus", 8, 64 * 1024, QUEUE, QUEUE)));
    Pair p =
        net.pair(
            sender,
            receiver,
            new NetServerOptions().setReceiveBufferSize(64 * 1024),
            new NetClientOptions().setSendBufferSize(64 * 1024));
    Recorder seen = p.acceptorSeen();
    seen.answer = (topic, payload) -> false; // the application stalls from the first message on

    LongAdder dropped = new LongAdder();
    long peakQueued = 0;
    for (int seq = 0; seq < COUNT; seq++) {
      Buffer payload = Buffer.buffer(new byte[MESSAGE]).setInt(0, seq);
      assertThat(p.dialer().sendDroppingOldest(TOPIC, payload, dropped))
          .isEqualTo(SendResult.QUEUED);
      peakQueued = Math.max(peakQueued, p.dialer().stats().topic(TOPIC).queuedBytes());
    }
    assertThat(dropped.sum()).as("a stalled peer cannot take 400 × 16 KiB").isPositive();
    assertThat(peakQueued).isLessThanOrEqualTo(QUEUE);

    seen.answer = (topic, payload) -> true;
    p.acceptor().resumeTopic(TOPIC);
    Awaitility.await("the newest message arrives")
        .atMost(Duration.ofSeconds(ConnFixture.TIMEOUT_S))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> seen.messages.stream().anyMatch(r -> r.payload().getInt(0) == COUNT - 1));
    List<Integer> arrived = new ArrayList<>();
    seen.messages.forEach(r -> arrived.add(r.payload().getInt(0)));
    assertThat(arrived).as("in order, with gaps where old ones gave way").isSorted();
    assertThat(arrived.size() + dropped.sum())
        .as("every message arrived or was counted dropped")
        .isEqualTo(COUNT);
    assertThat(p.dialer().stats().topic(TOPIC).droppedSends()).isEqualTo(dropped.sum());
  }
}
