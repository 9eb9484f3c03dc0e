package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A send to a peer whose topic queue is full waits for room ({@code p2p.sendWaitMs}, the request's
 * {@code p2p-wait-ms}) instead of failing at once: the sender is paced by its replies, in order,
 * and is refused only when the wait runs out, when it asked not to wait, or when the peer goes
 * away.
 */
class WaitingSendsTest {

  private static final int MESSAGES = 100;

  @TempDir Path root;

  @Test
  void sendsToAFullQueueWaitAndAreAnsweredInOrderOnceThereIsRoom() throws Exception {
    try (Pair pair = new Pair(root, Map.of())) {
      List<Future<?>> replies = pair.sendUntilSomeWait();
      assertThat(replies.stream().filter(Future::failed))
          .as("no send refused while they wait")
          .isEmpty();
      assertThat(replies.stream().filter(f -> !f.isComplete()))
          .as("requests not yet answered while the queue is full")
          .isNotEmpty();

      pair.open.set(true);
      pair.ackLatest();
      await(Future.all(replies));
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> pair.received.size() == MESSAGES);
      assertThat(pair.received)
          .as("every message, in the order sent")
          .containsExactlyElementsOf(IntStream.range(0, MESSAGES).boxed().toList());
      assertThat(pair.counterB("p2p.sends.waited")).isPositive();
      assertThat(pair.counterB("p2p.sends.refused")).isZero();
      assertThat(pair.gaugeB("p2p.sends.waiting")).isZero();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(pair.gaugeB("p2p.memory.used.bytes"))
                      .as("B's budget: everything waited for and queued was given back")
                      .isZero());
    }
  }

  @Test
  void aSendThatMayNotWaitIsRefusedAtOnceAndAWaitThatRunsOutFails() throws Exception {
    try (Pair pair = new Pair(root, Map.of())) {
      List<Future<?>> filling = pair.sendUntilSomeWait();

      assertThat(failureOf(pair.send(-1, "0")))
          .as("p2p-wait-ms 0 behind waiting sends")
          .extracting(ReplyException::failureCode)
          .isEqualTo(503);
      long start = System.nanoTime();
      ReplyException ranOut = failureOf(pair.send(-2, "300"));
      assertThat(ranOut.failureCode()).isEqualTo(503);
      assertThat(ranOut.getMessage()).contains("no room within the wait");
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("failed when its own wait ran out, not before")
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
      assertThat(failureOf(pair.send(-3, "soon")).failureCode()).isEqualTo(400);
      assertThat(filling.stream().filter(Future::failed))
          .as("the other waiting sends are unaffected")
          .isEmpty();
      pair.open.set(true);
      pair.ackLatest();
      await(Future.all(filling));
    }
  }

  @Test
  void waitingSendsFailAsSoonAsThePeerGoesAway() throws Exception {
    try (Pair pair = new Pair(root, Map.of("p2p.sendWaitMs", "60000"))) {
      List<Future<?>> replies = pair.sendUntilSomeWait();
      long start = System.nanoTime();
      pair.nodesA.close();
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> replies.stream().allMatch(Future::isComplete));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("not left to their 60 s wait")
          .isLessThan(Duration.ofSeconds(10));
      assertThat(replies.stream().filter(Future::failed).map(f -> (ReplyException) f.cause()))
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.failureCode()).isEqualTo(404));
      assertThat(pair.gaugeB("p2p.sends.waiting")).isZero();
      assertThat(pair.gaugeB("p2p.memory.used.bytes")).as("B's budget given back").isZero();
    }
  }

  private static ReplyException failureOf(Future<?> request) throws Exception {
    try {
      await(request);
    } catch (ExecutionException e) {
      return (ReplyException) e.getCause();
    }
    throw new AssertionError("the send succeeded");
  }

  /**
   * B sends 16 KiB tx messages to A; A's application takes them but acknowledges nothing until
   * {@code open}, so A holds the topic (64 KiB inbox) and B's queue (64 KiB) fills.
   */
  private static final class Pair implements AutoCloseable {
    final TestNodes nodesA = new TestNodes();
    final TestNodes nodesB = new TestNodes();
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean open = new AtomicBoolean();
    private final AtomicReference<String> latestSeq = new AtomicReference<>();
    private final Addresses a = new Addresses("wait-a");
    private final String idA;

    Pair(Path root, Map<String, String> senderConfig) throws Exception {
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      nodesB
          .vertx
          .eventBus()
          .<JsonObject>consumer(new Addresses("wait-b").events(), m -> events.add(m.body()));
      nodesA.start(nodesA.config(root.resolve("a"), "wait-a", Map.of("p2p.inboxBytes", "65536")));
      idA = nodesA.id("wait-a");
      Map<String, String> b = new java.util.HashMap<>(senderConfig);
      b.put("p2p.dial", idA + "@" + nodesA.listenAddress("wait-a"));
      b.put("p2p.sendQueueBytes", "65536");
      nodesB.start(nodesB.config(root.resolve("b"), "wait-b", b));
      MessagingTest.next(events, "peer.connected");
      await(
          nodesA
              .vertx
              .eventBus()
              .<Buffer>consumer(
                  a.topic("tx"),
                  m -> {
                    received.add(m.body().getInt(0));
                    latestSeq.set(m.headers().get(Addresses.HEADER_SEQ));
                    // The first ack makes the topic count what is unacknowledged (README).
                    if (open.get() || received.size() == 1) {
                      nodesA.vertx.eventBus().send(a.ack("tx"), latestSeq.get());
                    }
                  })
              .completion());
    }

    /** Acknowledges everything received so far (an ack covers every earlier message). */
    void ackLatest() {
      nodesA.vertx.eventBus().send(a.ack("tx"), latestSeq.get());
    }

    /**
     * Sends messages 0 to MESSAGES - 1 and returns their replies once some wait: A holds the topic
     * (its application acknowledges nothing after the first), so B's queue fills.
     */
    List<Future<?>> sendUntilSomeWait() {
      List<Future<?>> replies = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        replies.add(send(i, null));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> gaugeB("p2p.sends.waiting") > 0);
      return replies;
    }

    Future<?> send(int seq, String waitMs) {
      DeliveryOptions options = MessagingTest.sendTo(idA, "tx").setSendTimeout(120_000);
      if (waitMs != null) {
        options.addHeader(Addresses.HEADER_WAIT_MS, waitMs);
      }
      return nodesB
          .vertx
          .eventBus()
          .request(
              new Addresses("wait-b").send(),
              Buffer.buffer(new byte[16 * 1024]).setInt(0, seq),
              options);
    }

    double gaugeB(String name) {
      return FlowSoak.gauge(nodesB, name);
    }

    double counterB(String name) {
      return nodesB.registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
      nodesB.close();
      nodesA.close();
    }
  }
}
