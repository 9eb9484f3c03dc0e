package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two nodes dialling each other at once end with the same single connection on both sides. */
class SimultaneousDialTest {

  private static final int ROUNDS = 50;

  @TempDir
  Path root;

  @Test
  void simultaneousDialsEndWithOneConnectionFiftyTimesInARow() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of()));
      String idA = nodes.id("a");
      String idB = nodes.id("b");
      String dialA = idA + "@" + nodes.listenAddress("a");
      String dialB = idB + "@" + nodes.listenAddress("b");
      // The rule both sides apply: the connection dialled by the lower id survives.
      String expectedAtA = idA.compareTo(idB) < 0 ? "outbound" : "inbound";
      String expectedAtB = expectedAtA.equals("outbound") ? "inbound" : "outbound";

      for (int round = 0; round < ROUNDS; round++) {
        var bus = nodes.vertx.eventBus();
        DeliveryOptions opts = new DeliveryOptions().setSendTimeout(10_000);
        Future<Message<Object>> fromA = bus.request(new Addresses("a").dial(), dialB, opts);
        Future<Message<Object>> fromB = bus.request(new Addresses("b").dial(), dialA, opts);
        await(Future.join(fromA, fromB));

        awaitState(nodes, "a", idB, expectedAtA);
        awaitState(nodes, "b", idA, expectedAtB);

        await(bus.request(new Addresses("a").disconnect(), idB));
        awaitState(nodes, "a", idB, null);
        awaitState(nodes, "b", idA, null);
      }
    }
  }

  /** Waits until {@code prefix}'s only peer is {@code peer} in that direction (or it has none). */
  private static void awaitState(TestNodes nodes, String prefix, String peer, String direction)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    JsonArray peers = null;
    while (System.nanoTime() < deadline) {
      peers = await(nodes.vertx.eventBus().<JsonArray>request(new Addresses(prefix).peers(), null)).body();
      if (direction == null ? peers.isEmpty()
          : peers.size() == 1 && peer.equals(peers.getJsonObject(0).getString("id"))
              && direction.equals(peers.getJsonObject(0).getString("direction"))) {
        return;
      }
      await(nodes.vertx.timer(5));
    }
    throw new AssertionError(prefix + " never reached " + direction + " " + peer + ": " + peers);
  }
}
