package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer book across node restarts: saved at stop, used to reconnect, never fatal when corrupt.
 */
class PeerBookNodeTest {

  @TempDir Path root;

  @Test
  void aRestartedNodeReconnectsFromItsSavedBookWithoutAnyDialConfig() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      // A never dials out, so after B's restart only B's own book can bring the two together.
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.maxOutbound", "0")));
      String idA = nodes.id("a");
      NodeConfig configB = nodes.config(root.resolve("b"), "b", Map.of());
      String b = nodes.start(configB);
      await(
          nodes
              .vertx
              .eventBus()
              .request(new Addresses("b").dial(), idA + "@" + nodes.listenAddress("a")));
      DiscoveryTest.awaitAll(
          nodes,
          List.of("b"),
          p -> DiscoveryTest.outbound(nodes, p).contains(idA),
          "b connected to a");

      nodes.stop(b);
      JsonArray saved =
          new JsonObject(Files.readString(root.resolve("b/peerbook.json"))).getJsonArray("entries");
      assertThat(saved).hasSize(1);
      assertThat(saved.getJsonObject(0).getString("id")).isEqualTo(idA);
      assertThat(saved.getJsonObject(0).getString("source")).isEqualTo("dial");
      assertThat(saved.getJsonObject(0).getLong("lastSeen")).isPositive();

      nodes.start(configB);
      DiscoveryTest.awaitAll(
          nodes,
          List.of("b"),
          p -> DiscoveryTest.outbound(nodes, p).contains(idA),
          "b, restarted with no p2p.dial, reconnected to a from its book");
      // The book hears of the connection after the peer set does (on its own context).
      JsonObject entry =
          Awaitility.await("b's book marks a connected")
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> DiscoveryTest.book(nodes, "b").getJsonObject(0),
                  e -> e.getBoolean("connected"));
      assertThat(entry.getString("id")).isEqualTo(idA);
      assertThat(entry.getInteger("failures")).isZero();
    }
  }

  @Test
  void feelersProveLiveEntriesWithoutKeepingThemAndCountFailuresOfDeadOnes() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      String idA = nodes.id("a");
      String dead = "7".repeat(64);
      Path dirB = root.resolve("b");
      Files.createDirectories(dirB);
      // B has heard of A and of a dead peer (port 1 on loopback refuses), never connected to
      // either.
      Files.writeString(
          dirB.resolve("peerbook.json"),
          new JsonObject()
              .put("version", 1)
              .put(
                  "entries",
                  new JsonArray()
                      .add(unproven(idA, nodes.listenAddress("a")))
                      .add(unproven(dead, "127.0.0.1:1")))
              .encode());
      nodes.start(
          nodes.config(dirB, "b", Map.of("p2p.maxOutbound", "0", "p2p.feelerIntervalMs", "100")));

      DiscoveryTest.awaitAll(
          nodes,
          List.of("b"),
          p ->
              entry(nodes, idA).getValue("lastSeen") != null
                  && entry(nodes, dead).getInteger("failures") >= 2,
          "a feeler proved A and failed twice on the dead one");
      assertThat(entry(nodes, idA).getInteger("failures")).isZero();
      assertThat(entry(nodes, idA).getBoolean("connected"))
          .as("a feeler does not keep the connection")
          .isFalse();
      String metrics = nodes.get(nodes.adminPort("b"), "/metrics").bodyAsString();
      assertThat(metrics)
          .containsPattern(
              "p2p_book_dials_total\\{kind=\"feeler\",node=\"[0-9a-f]{8}\",result=\"ok\"\\} [1-9]");
    }
  }

  private static JsonObject unproven(String id, String address) {
    return new JsonObject()
        .put("id", id)
        .put("address", address)
        .put("source", "exchange")
        .put("firstSeen", 1);
  }

  private static JsonObject entry(TestNodes nodes, String id) {
    return DiscoveryTest.book(nodes, "b").stream()
        .map(o -> (JsonObject) o)
        .filter(e -> e.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void addressesInABannedRangeAreNeverDialled() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of("p2p.bannedIps", "127.0.0.0/8")));
      String target = nodes.id("a") + "@" + nodes.listenAddress("a");
      Throwable refused =
          nodes
              .vertx
              .eventBus()
              .request(new Addresses("b").dial(), target)
              .toCompletionStage()
              .toCompletableFuture()
              .handle((ok, err) -> err)
              .get();
      assertThat(refused).isInstanceOf(io.vertx.core.eventbus.ReplyException.class);
      assertThat(((io.vertx.core.eventbus.ReplyException) refused).failureCode()).isEqualTo(451);
      assertThat(refused.getMessage()).contains("banned (banned_ip)");
      assertThat(nodes.get(nodes.adminPort("a"), "/api/peers").bodyAsJsonArray()).isEmpty();
    }
  }

  @Test
  void aCorruptBookIsSetAsideAndTheNodeStartsWithAnEmptyOne() throws Exception {
    Path dir = root.resolve("c");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("peerbook.json"), "{\"version\":1,\"entries\":[{\"id\":");
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(dir, "c", Map.of()));
      assertThat(nodes.get(nodes.adminPort("c"), "/health").statusCode()).isEqualTo(200);
      assertThat(nodes.get(nodes.adminPort("c"), "/api/book").bodyAsJsonArray()).isEmpty();
      try (Stream<Path> files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .anyMatch(name -> name.startsWith("peerbook.json.corrupt-"))
            .noneMatch(name -> name.equals("peerbook.json"));
      }
    }
  }
}
