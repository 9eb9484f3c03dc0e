package network.canopy.p2p.api;

import static network.canopy.p2p.api.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
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
 * stops reading, the sender's queue fills and it is told so, and nothing is lost or discarded.
 */
class SlowConsumerTest {

  private static final int MESSAGES = 1000;

  @TempDir
  Path root;

  @Test
  void slowApplicationPausesTheSenderAndLosesNothing() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
      nodes.vertx.eventBus().<JsonObject>consumer(new Addresses("slow-b").events(), m -> events.add(m.body()));
      nodes.start(nodes.config(root.resolve("a"), "slow-a", Map.of("p2p.inboxBytes", "65536")));
      String idA = nodes.id("slow-a");
      nodes.start(nodes.config(root.resolve("b"), "slow-b", Map.of(
          "p2p.dial", idA + "@" + nodes.listenAddress("slow-a"), "p2p.sendQueueBytes", "65536")));
      MessagingTest.next(events, "peer.connected");

      SlowApp app = new SlowApp(new Addresses("slow-a").topic("tx"));
      await(nodes.vertx.deployVerticle(app, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));

      AtomicInteger queueFull = new AtomicInteger();
      for (int i = 0; i < MESSAGES; i++) {
        sendUntilQueued(nodes, idA, i, queueFull);
      }
      await(app.all);

      assertThat(app.received).as("every message, in order").hasSize(MESSAGES);
      for (int i = 0; i < MESSAGES; i++) {
        assertThat(app.received.get(i)).isEqualTo(i);
      }
      assertThat(queueFull.get()).as("the sender was told to wait").isPositive();
      assertThat(nodes.get(nodes.adminPort("slow-a"), "/metrics").bodyAsString())
          .doesNotContainPattern("vertx_eventbus_discarded_total\\{[^}]*slow-a\\.topic\\.tx[^}]*} [1-9]");
    }
  }

  /** Sends message {@code seq}; on "queue full" waits a little and tries again, as an app should. */
  private static void sendUntilQueued(TestNodes nodes, String peer, int seq, AtomicInteger queueFull)
      throws Exception {
    Buffer payload = Buffer.buffer(new byte[16 * 1024]).setInt(0, seq);
    while (true) {
      try {
        await(nodes.vertx.eventBus().request(new Addresses("slow-b").send(), payload,
            MessagingTest.sendTo(peer, "tx")));
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        if (!(e.getCause() instanceof ReplyException re) || re.failureCode() != 503) {
          throw e;
        }
        queueFull.incrementAndGet();
        await(nodes.vertx.timer(5));
      }
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
