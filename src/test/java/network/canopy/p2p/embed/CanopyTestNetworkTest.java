package network.canopy.p2p.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
import org.junit.jupiter.api.Test;

/** The test kit keeps its promises: a full mesh, cuts and restores, stops and restarts, cleanup. */
class CanopyTestNetworkTest {

  @Test
  void linksFollowCutsRestoresStopsAndRestarts() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (CanopyTestNetwork net = CanopyTestNetwork.start(vertx, 3)) {
      assertThat(peerIds(net, 0)).containsExactlyInAnyOrder(net.id(1), net.id(2));

      net.cut(0, 2);
      net.awaitConnected();
      assertThat(peerIds(net, 0)).containsExactly(net.id(1));
      assertThat(peerIds(net, 2)).containsExactly(net.id(1));

      net.restore(0, 2);
      net.awaitConnected();
      assertThat(peerIds(net, 2)).containsExactlyInAnyOrder(net.id(0), net.id(1));

      net.stop(0);
      assertThatThrownBy(() -> net.node(0)).isInstanceOf(IllegalStateException.class);
      net.awaitConnected();
      assertThat(peerIds(net, 1)).containsExactly(net.id(2));

      net.restart(0);
      net.awaitConnected();
      assertThat(peerIds(net, 1)).containsExactlyInAnyOrder(net.id(0), net.id(2));
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void settingsApplyToEveryNodeAndCloseDeletesTheDataDirs() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      CanopyTestNetwork net =
          CanopyTestNetwork.start(
              vertx,
              2,
              Map.of(
                  "topics",
                  "[{\"name\":\"votes\",\"id\":20,\"gossip\":true}]",
                  "eventBus.prefix",
                  "mine"));
      Path dataDir = net.dataDir(1);
      assertThat(dataDir.resolve("node.key")).exists();
      assertThat(net.node(1).prefix()).isEqualTo(net.prefix(1)).isEqualTo("node1");
      String id =
          vertx
              .eventBus()
              .<String>request(
                  net.node(0).broadcastAddress(),
                  Buffer.buffer("v"),
                  new DeliveryOptions().addHeader(CanopyNode.HEADER_TOPIC, "votes"))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)
              .body();
      assertThat(id).hasSize(64);

      net.close();

      assertThat(dataDir).doesNotExist();
      assertThat(dataDir.getParent()).doesNotExist();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Set<String> peerIds(CanopyTestNetwork net, int node) throws Exception {
    JsonArray peers =
        net.vertx()
            .eventBus()
            .<JsonArray>request(net.node(node).peersAddress(), null)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .body();
    return peers.stream().map(p -> ((JsonObject) p).getString("id")).collect(Collectors.toSet());
  }
}
