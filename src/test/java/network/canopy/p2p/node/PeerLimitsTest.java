package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inbound and outbound limits hold; trusted and must-connect peers are exempt. */
class PeerLimitsTest {

  @TempDir Path root;

  @Test
  void limitsHoldWithTrustedAndMustConnectExemptions() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      String idT = NodeKeyFile.create(root.resolve("t")).id();
      String idM = NodeKeyFile.create(root.resolve("m")).id();
      BlockingQueue<JsonObject> eventsA = events(nodes, "a");
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of("p2p.maxInbound", "1", "p2p.maxOutbound", "0", "p2p.trustedPeers", idT)));
      String dialA = nodes.id("a") + "@" + nodes.listenAddress("a");

      BlockingQueue<JsonObject> eventsB = events(nodes, "b");
      BlockingQueue<JsonObject> eventsC = events(nodes, "c");
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of("p2p.dial", dialA)));
      nodes.start(nodes.config(root.resolve("c"), "c", Map.of("p2p.dial", dialA)));
      String idB = nodes.id("b");
      String idC = nodes.id("c");
      String admitted = MessagingTest.next(eventsA, "peer.connected").getString("peer");
      assertThat(admitted).isIn(idB, idC);
      // The other one completes its handshake and is then told why it may not stay.
      BlockingQueue<JsonObject> refusedEvents = admitted.equals(idB) ? eventsC : eventsB;
      JsonObject refusal = told(refusedEvents, nodes.id("a"));
      assertThat(refusal.getString("reason")).isEqualTo("GOODBYE");
      assertThat(refusal.getString("detail")).contains("inbound limit 1");

      nodes.start(nodes.config(root.resolve("t"), "t", Map.of("p2p.dial", dialA)));
      assertThat(MessagingTest.next(eventsA, "peer.connected").getString("peer")).isEqualTo(idT);

      nodes.start(nodes.config(root.resolve("m"), "m", Map.of()));
      String mAddress = idM + "@" + nodes.listenAddress("m");
      await(
          nodes
              .vertx
              .eventBus()
              .request(new Addresses("a").mustConnect(), new JsonArray().add(mAddress)));
      JsonObject m = MessagingTest.next(eventsA, "peer.connected");
      assertThat(m.getString("peer")).isEqualTo(idM);
      assertThat(m.getString("direction")).isEqualTo("outbound");

      JsonArray peers =
          await(nodes.vertx.eventBus().<JsonArray>request(new Addresses("a").peers(), null)).body();
      assertThat(peers.stream().map(p -> ((JsonObject) p).getString("id")))
          .containsExactlyInAnyOrder(admitted, idT, idM);
      JsonObject mEntry =
          peers.stream()
              .map(p -> (JsonObject) p)
              .filter(p -> p.getString("id").equals(idM))
              .findFirst()
              .orElseThrow();
      assertThat(mEntry.getBoolean("mustConnect")).isTrue();
      JsonObject tEntry =
          peers.stream()
              .map(p -> (JsonObject) p)
              .filter(p -> p.getString("id").equals(idT))
              .findFirst()
              .orElseThrow();
      assertThat(tEntry.getBoolean("trusted")).isTrue();
    }
  }

  @Test
  void configuredBannedIdIsRefusedWithAGoodbyeAndCounted() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      String idX = NodeKeyFile.create(root.resolve("x")).id();
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.bannedPeers", idX)));
      BlockingQueue<JsonObject> eventsX = events(nodes, "x");
      nodes.start(
          nodes.config(
              root.resolve("x"),
              "x",
              Map.of("p2p.dial", nodes.id("a") + "@" + nodes.listenAddress("a"))));
      JsonObject refusal = told(eventsX, nodes.id("a"));
      assertThat(refusal.getString("reason")).isEqualTo("GOODBYE");
      assertThat(refusal.getString("detail")).isEqualTo("banned peer");
      assertThat(nodes.get(nodes.adminPort("a"), "/metrics").bodyAsString())
          .containsPattern("p2p_admissions_refused_total\\{[^}]*reason=\"banned\"[^}]*} [1-9]");
    }
  }

  /**
   * The refused node's first disconnection from {@code refuser} (its events also tell of other
   * links).
   */
  static JsonObject told(BlockingQueue<JsonObject> events, String refuser)
      throws InterruptedException {
    JsonObject e = MessagingTest.next(events, "peer.disconnected");
    while (!refuser.equals(e.getString("peer"))) {
      e = MessagingTest.next(events, "peer.disconnected");
    }
    return e;
  }

  static BlockingQueue<JsonObject> events(TestNodes nodes, String prefix) {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    nodes
        .vertx
        .eventBus()
        .<JsonObject>consumer(new Addresses(prefix).events(), m -> events.add(m.body()));
    return events;
  }
}
