package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.canopy.p2p.config.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An application that consumes slower than its peer sends, on each default topic: the node holds
 * that topic back (its receive window closes at the sender, whose queue fills), holds a bounded
 * amount, and nothing is lost or discarded. Without window/1 the fallback (pausing the socket) is
 * covered by conn/BackpressureTest.
 */
class SlowConsumerTest {

  private static final int MESSAGES = 2000;

  /** The node's limit of delivered, unfinished messages per topic (TopicDelivery.MAX_PENDING). */
  private static final int MAX_PENDING = 500;

  /** The same for plain local consumers (TopicDelivery.LOCAL_MAX_PENDING). */
  private static final int LOCAL_MAX_PENDING = 900;

  @TempDir Path root;

  /** Each default topic in turn: the hold must engage whatever the topic's address hashes to. */
  @ParameterizedTest
  @ValueSource(strings = {"consensus", "block", "block_request", "tx"})
  void slowApplicationPausesTheSenderAndLosesNothing(String topic) throws Exception {
    // Two Vert.x instances, as two nodes would be: each end of the connection on its own event
    // loop.
    try (TestNodes nodesA = new TestNodes();
        TestNodes nodesB = new TestNodes()) {
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      nodesB
          .vertx
          .eventBus()
          .<JsonObject>consumer(new Addresses("slow-b").events(), m -> events.add(m.body()));
      nodesA.start(nodesA.config(root.resolve("a"), "slow-a", Map.of("p2p.inboxBytes", "65536")));
      String idA = nodesA.id("slow-a");
      nodesB.start(
          nodesB.config(
              root.resolve("b"),
              "slow-b",
              Map.of(
                  "p2p.dial",
                  idA + "@" + nodesA.listenAddress("slow-a"),
                  "p2p.sendQueueBytes",
                  "65536")));
      MessagingTest.next(events, "peer.connected");

      String address = new Addresses("slow-a").topic(topic);
      SlowApp app = new SlowApp(address);
      await(
          nodesA.vertx.deployVerticle(
              app, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

      AtomicInteger queueFull = new AtomicInteger();
      PipelinedSender sender = new PipelinedSender(nodesB.vertx, idA, topic, queueFull);
      Future<Void> sent = sender.sendAll();
      boolean pausedSeen = false;
      double pendingPeak = 0;
      while (!app.all.isComplete()) {
        pausedSeen |= receiveState(nodesA).getBoolean("paused", false);
        pendingPeak = Math.max(pendingPeak, localPending(nodesA, address));
        await(nodesA.vertx.timer(20));
      }
      await(sent);
      await(app.all);

      assertThat(app.received)
          .as("every message, in the order the node accepted them")
          .hasSize(MESSAGES)
          .containsExactlyElementsOf(sender.accepted);
      // The topic's receive window (window/1) closed at the sender, whose queue then filled:
      // the sender saw the backpressure, and the node never had to stop reading the socket (which
      // would have stalled every other topic of that peer too).
      assertThat(waited(nodesB, topic))
          .as("sends that waited for room while the application was behind")
          .isPositive();
      assertThat(queueFull.get())
          .as("sends refused: a full queue holds the request for room instead (p2p.sendWaitMs)")
          .isZero();
      assertThat(pausedSeen).as("node A paused reading the whole connection").isFalse();
      // Delivered but not yet taken by the application: held at the node's limits for a plain
      // consumer (here p2p.inboxBytes; TopicDeliveryTest pins the 900 messages), not piled up in
      // the event bus (which would grow without bound, and past 1000 discard).
      assertThat(pendingPeak)
          .as("messages pending at the application's consumer")
          .isLessThanOrEqualTo(LOCAL_MAX_PENDING + 50);
      long peak = receiveState(nodesA).getLong("inboxPeakBytes", 0L);
      // The stated bound (docs/PROTOCOL.md 11.3) for one topic: inboxBytes, the rest of one 64 KiB
      // socket read decoded after pausing, and 2 x the topic's message limit (tx: 1 MiB). Seen: 144
      // KiB.
      assertThat(peak)
          .as("bytes A held for its application")
          .isLessThanOrEqualTo(65_536 + 65_536 + 2 * 1_048_576);
      assertThat(nodesA.get(nodesA.adminPort("slow-a"), "/metrics").bodyAsString())
          .doesNotContainPattern(
              "vertx_eventbus_discarded_total\\{[^}]*slow-a\\.topic\\." + topic + "[^}]*} [1-9]");
    }
  }

  /**
   * An application that acknowledges (the explicit-credit contract, README "Flow control"): what it
   * has not finished stays at the node's limit, every message arrives in order, and while its topic
   * is held another topic from the same peer keeps flowing.
   */
  @Test
  void anAcknowledgingApplicationHoldsOnlyItsTopic() throws Exception {
    try (TestNodes nodesA = new TestNodes();
        TestNodes nodesB = new TestNodes()) {
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      nodesB
          .vertx
          .eventBus()
          .<JsonObject>consumer(new Addresses("slow-b").events(), m -> events.add(m.body()));
      nodesA.start(nodesA.config(root.resolve("a"), "slow-a", Map.of("p2p.inboxBytes", "65536")));
      String idA = nodesA.id("slow-a");
      nodesB.start(
          nodesB.config(
              root.resolve("b"),
              "slow-b",
              Map.of(
                  "p2p.dial",
                  idA + "@" + nodesA.listenAddress("slow-a"),
                  "p2p.sendQueueBytes",
                  "65536")));
      MessagingTest.next(events, "peer.connected");
      Addresses a = new Addresses("slow-a");
      SlowApp app = new SlowApp(a.topic("tx"), a.ack("tx"));
      await(
          nodesA.vertx.deployVerticle(
              app, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
      BlockingQueue<Integer> consensus = new LinkedBlockingQueue<>();
      await(
          nodesA
              .vertx
              .eventBus()
              .<Buffer>consumer(a.topic("consensus"), m -> consensus.add(m.body().getInt(0)))
              .completion());

      AtomicInteger queueFull = new AtomicInteger();
      PipelinedSender sender = new PipelinedSender(nodesB.vertx, idA, "tx", queueFull);
      Future<Void> sent = sender.sendAll();
      double unfinishedPeak = 0;
      // Held: the application is behind (here by bytes: inboxBytes is 64 KiB) and the sender's
      // requests wait for room.
      while (waited(nodesB, "tx") == 0 && !app.all.isComplete()) {
        unfinishedPeak = Math.max(unfinishedPeak, unfinished(nodesA, "tx"));
        await(nodesA.vertx.timer(5));
      }
      // tx is held now; consensus from the same peer must not wait for the tx backlog.
      for (int i = 0; i < 20; i++) {
        await(
            nodesB
                .vertx
                .eventBus()
                .request(
                    new Addresses("slow-b").send(),
                    Buffer.buffer(new byte[4]).setInt(0, i),
                    MessagingTest.sendTo(idA, "consensus")));
      }
      List<Integer> urgent = new ArrayList<>();
      while (urgent.size() < 20) {
        Integer next = consensus.poll(20, TimeUnit.SECONDS);
        assertThat(next).as("consensus message %d within 20 s", urgent.size()).isNotNull();
        urgent.add(next);
      }
      assertThat(app.all.isComplete())
          .as("consensus arrived while tx was still held back")
          .isFalse();
      while (!app.all.isComplete()) {
        unfinishedPeak = Math.max(unfinishedPeak, unfinished(nodesA, "tx"));
        await(nodesA.vertx.timer(20));
      }
      await(sent);
      assertThat(urgent)
          .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).boxed().toList());
      assertThat(app.received).hasSize(MESSAGES).containsExactlyElementsOf(sender.accepted);
      assertThat(unfinishedPeak)
          .as("messages delivered and not acknowledged")
          .isLessThanOrEqualTo(MAX_PENDING + 50);
      assertThat(waited(nodesB, "tx")).as("the sender saw the backpressure").isPositive();
    }
  }

  /** {@code p2p_sends_waited_total{topic}}: sends that found the queue full and waited. */
  static double waited(TestNodes nodes, String topic) {
    var counter = nodes.registry.find("p2p.sends.waited").tag("topic", topic).counter();
    return counter == null ? 0 : counter.count();
  }

  private static double unfinished(TestNodes nodes, String topic) {
    Gauge gauge = nodes.registry.find("p2p.topic.unfinished").tag("topic", topic).gauge();
    return gauge == null ? 0 : gauge.value();
  }

  /** Vert.x's own count of messages waiting at the local consumers of {@code address}. */
  private static double localPending(TestNodes nodes, String address) {
    Gauge gauge =
        nodes
            .registry
            .find("vertx.eventbus.pending")
            .tag("address", address)
            .tag("side", "local")
            .gauge();
    return gauge == null ? 0 : gauge.value();
  }

  private static JsonObject receiveState(TestNodes nodes) throws Exception {
    JsonArray peers =
        await(nodes.vertx.eventBus().<JsonArray>request(new Addresses("slow-a").peers(), null))
            .body();
    // Empty until A has admitted B (B may hear of the connection first).
    return peers.isEmpty() ? new JsonObject() : peers.getJsonObject(0).getJsonObject("receive");
  }

  /**
   * Sends MESSAGES messages with up to 64 requests in flight, retrying each "queue full" (503)
   * shortly (none expected: a full queue makes the request wait).
   */
  private static final class PipelinedSender {
    private final io.vertx.core.Vertx vertx;
    private final String peer;
    private final String topic;
    private final AtomicInteger queueFull;
    private final Promise<Void> done = Promise.promise();

    /**
     * The order in which the node accepted (queued) the messages: the order they must arrive in.
     */
    final List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());

    private int next;
    private int acked;

    PipelinedSender(io.vertx.core.Vertx vertx, String peer, String topic, AtomicInteger queueFull) {
      this.vertx = vertx;
      this.peer = peer;
      this.topic = topic;
      this.queueFull = queueFull;
    }

    Future<Void> sendAll() {
      vertx.runOnContext(
          v -> {
            for (int i = 0; i < 64; i++) {
              sendNext();
            }
          });
      return done.future();
    }

    private void sendNext() {
      if (next < MESSAGES) {
        send(next++);
      }
    }

    private void send(int seq) {
      Buffer payload = Buffer.buffer(new byte[16 * 1024]).setInt(0, seq);
      vertx
          .eventBus()
          .request(new Addresses("slow-b").send(), payload, MessagingTest.sendTo(peer, topic))
          .onSuccess(
              reply -> {
                accepted.add(seq);
                if (++acked == MESSAGES) {
                  done.tryComplete();
                }
                sendNext();
              })
          .onFailure(
              err -> {
                if (err instanceof ReplyException re && re.failureCode() == 503) {
                  queueFull.incrementAndGet();
                  vertx.setTimer(5, id -> send(seq));
                } else {
                  done.tryFail(err);
                }
              });
    }
  }

  /**
   * A worker verticle that takes 2 ms per message, and acknowledges each when given an ack address.
   */
  private static final class SlowApp extends VerticleBase {
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final Promise<Void> allReceived = Promise.promise();
    final Future<Void> all = allReceived.future();
    private final String address;
    private final String ackAddress;

    SlowApp(String address) {
      this(address, null);
    }

    SlowApp(String address, String ackAddress) {
      this.address = address;
      this.ackAddress = ackAddress;
    }

    @Override
    public Future<?> start() {
      return vertx
          .eventBus()
          .<Buffer>consumer(
              address,
              msg -> {
                try {
                  TimeUnit.MILLISECONDS.sleep(2); // the application's own (slow) work
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                received.add(msg.body().getInt(0));
                if (ackAddress != null) {
                  vertx.eventBus().send(ackAddress, msg.headers().get(Addresses.HEADER_SEQ));
                }
                if (received.size() == MESSAGES) {
                  allReceived.tryComplete();
                }
              })
          .completion();
    }
  }
}
