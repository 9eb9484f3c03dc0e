package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * An application that consumes slower than its peer sends: the node holds messages back and then
 * stops reading (TCP pushes back on the sender), holds a bounded amount, and nothing is lost or
 * discarded. The sender's side of the chain (queue full while the socket does not drain) is
 * covered by conn/BackpressureTest.
 */
class SlowConsumerTest {

  private static final int MESSAGES = 1000;

  @TempDir
  Path root;

  @Test
  void slowApplicationPausesTheSenderAndLosesNothing() throws Exception {
    // Two Vert.x instances, as two nodes would be: each end of the connection on its own event loop.
    try (TestNodes nodesA = new TestNodes(); TestNodes nodesB = new TestNodes()) {
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      nodesB.vertx.eventBus().<JsonObject>consumer(new Addresses("slow-b").events(), m -> events.add(m.body()));
      nodesA.start(nodesA.config(root.resolve("a"), "slow-a", Map.of("p2p.inboxBytes", "65536")));
      String idA = nodesA.id("slow-a");
      nodesB.start(nodesB.config(root.resolve("b"), "slow-b", Map.of(
          "p2p.dial", idA + "@" + nodesA.listenAddress("slow-a"), "p2p.sendQueueBytes", "65536")));
      MessagingTest.next(events, "peer.connected");

      SlowApp app = new SlowApp(new Addresses("slow-a").topic("tx"));
      await(nodesA.vertx.deployVerticle(app, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

      AtomicInteger queueFull = new AtomicInteger();
      PipelinedSender sender = new PipelinedSender(nodesB.vertx, idA, queueFull);
      Future<Void> sent = sender.sendAll();
      boolean pausedSeen = false;
      while (!app.all.isComplete()) {
        pausedSeen |= receiveState(nodesA).getBoolean("paused");
        await(nodesA.vertx.timer(20));
      }
      await(sent);
      await(app.all);

      assertThat(app.received).as("every message, in the order the node accepted them")
          .hasSize(MESSAGES).containsExactlyElementsOf(sender.accepted);
      // The node stopped reading rather than buffering: TCP then pushes back on the sender (whose
      // queue fills once the kernel's socket buffers, which autotune to megabytes here, are full).
      assertThat(pausedSeen).as("node A paused reading while its application was behind").isTrue();
      long peak = receiveState(nodesA).getLong("inboxPeakBytes");
      // The stated bound (docs/PROTOCOL.md 11.3) for one topic: inboxBytes, the rest of one 64 KiB
      // socket read decoded after pausing, and 2 x the topic's message limit (tx: 1 MiB). Seen: 144 KiB.
      assertThat(peak).as("bytes A held for its application")
          .isLessThanOrEqualTo(65_536 + 65_536 + 2 * 1_048_576);
      assertThat(nodesA.get(nodesA.adminPort("slow-a"), "/metrics").bodyAsString())
          .doesNotContainPattern("vertx_eventbus_discarded_total\\{[^}]*slow-a\\.topic\\.tx[^}]*} [1-9]");
    }
  }

  private static JsonObject receiveState(TestNodes nodes) throws Exception {
    JsonArray peers = await(nodes.vertx.eventBus().<JsonArray>request(new Addresses("slow-a").peers(), null)).body();
    return peers.getJsonObject(0).getJsonObject("receive");
  }

  /** Sends MESSAGES messages with up to 64 requests in flight, retrying each "queue full" (503) shortly. */
  private static final class PipelinedSender {
    private final io.vertx.core.Vertx vertx;
    private final String peer;
    private final AtomicInteger queueFull;
    private final Promise<Void> done = Promise.promise();
    /** The order in which the node accepted (queued) the messages: the order they must arrive in. */
    final List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
    private int next;
    private int acked;

    PipelinedSender(io.vertx.core.Vertx vertx, String peer, AtomicInteger queueFull) {
      this.vertx = vertx;
      this.peer = peer;
      this.queueFull = queueFull;
    }

    Future<Void> sendAll() {
      vertx.runOnContext(v -> {
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
      vertx.eventBus().request(new Addresses("slow-b").send(), payload, MessagingTest.sendTo(peer, "tx"))
          .onSuccess(reply -> {
            accepted.add(seq);
            if (++acked == MESSAGES) {
              done.tryComplete();
            }
            sendNext();
          })
          .onFailure(err -> {
            if (err instanceof ReplyException re && re.failureCode() == 503) {
              queueFull.incrementAndGet();
              vertx.setTimer(5, id -> send(seq));
            } else {
              done.tryFail(err);
            }
          });
    }
  }

  /** A worker verticle that takes 2 ms per message. */
  private static final class SlowApp extends VerticleBase {
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    final Promise<Void> allReceived = Promise.promise();
    final Future<Void> all = allReceived.future();
    private final String address;

    SlowApp(String address) {
      this.address = address;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().<Buffer>consumer(address, msg -> {
        try {
          TimeUnit.MILLISECONDS.sleep(2); // the application's own (slow) work
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        received.add(msg.body().getInt(0));
        if (received.size() == MESSAGES) {
          allReceived.tryComplete();
        }
      }).completion();
    }
  }
}
