package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two outbound peers connected at shutdown are saved as anchors and dialled first at the next
 * start.
 */
class AnchorsTest {

  @TempDir Path root;

  @Test
  void outboundPeersAtShutdownAreDialledAgainAtTheNextStartEvenWithoutTheBook() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of("p2p.maxOutbound", "0")));
      nodes.start(nodes.config(root.resolve("c"), "c", Map.of("p2p.maxOutbound", "0")));
      String idB = nodes.id("b");
      String idC = nodes.id("c");
      NodeConfig configA = nodes.config(root.resolve("a"), "a", Map.of());
      String a = nodes.start(configA);
      for (String p : List.of("b", "c")) {
        await(
            nodes
                .vertx
                .eventBus()
                .request(new Addresses("a").dial(), nodes.id(p) + "@" + nodes.listenAddress(p)));
      }
      DiscoveryTest.awaitAll(
          nodes,
          List.of("a"),
          p -> DiscoveryTest.outbound(nodes, p).containsAll(List.of(idB, idC)),
          "a connected out to b and c");

      nodes.stop(a);
      JsonArray anchors =
          new JsonObject(Files.readString(root.resolve("a/anchors.json"))).getJsonArray("anchors");
      assertThat(anchors.stream().map(o -> ((String) o).substring(0, 64)))
          .containsExactlyInAnyOrder(idB, idC);
      // Only the anchors can bring them back together: no book, no p2p.dial, b and c never dial
      // out.
      Files.delete(root.resolve("a/peerbook.json"));

      nodes.start(configA);
      DiscoveryTest.awaitAll(
          nodes,
          List.of("a"),
          p -> DiscoveryTest.outbound(nodes, p).containsAll(List.of(idB, idC)),
          "a, restarted without its book, dialled its anchors");
      assertThat(root.resolve("a/anchors.json")).as("anchors are used once").doesNotExist();
    }
  }
}
