package network.canopy.p2p.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedding API as an application uses it: nodes deployed on the application's plain Vert.x.
 */
class CanopyNodeTest {

  @TempDir Path root;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    join(vertx.close());
  }

  @Test
  void twoNodesInOneVertxConnectAndTheHandleTellsWhereTheyAre() throws Exception {
    NodeHandle a = join(CanopyNode.deploy(vertx, options("a")));
    NodeHandle b = join(CanopyNode.deploy(vertx, options("b").dial(a.peerAddress())));

    assertThat(a.id()).isEqualTo(NodeKeyFile.load(root.resolve("a")).id());
    assertThat(a.prefix()).isEqualTo("a");
    assertThat(a.topicAddress("tx")).isEqualTo("a.topic.tx");
    assertThat(a.listenPort()).isPositive().isNotEqualTo(b.listenPort());
    assertThat(a.adminPort()).isPositive().isNotEqualTo(b.adminPort()).isNotEqualTo(a.listenPort());
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> peers(a).size() == 1);
    assertThat(peers(a).getJsonObject(0).getString("id")).isEqualTo(b.id());

    Future<Void> closing = b.close();
    assertThat(b.close()).isSameAs(closing);
    join(closing);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> peers(a).isEmpty());
    NetClient client = vertx.createNetClient();
    assertThatThrownBy(() -> join(client.connect(b.adminPort(), "127.0.0.1")))
        .isInstanceOf(ExecutionException.class);
  }

  @Test
  void badSettingsFailTheDeployWithOneLinePerProblemNamingTheKey() {
    Future<NodeHandle> deployed =
        CanopyNode.deploy(
            vertx,
            options("c")
                .set("p2p.maxInbound", "lots")
                .set("no.such.key", "1")
                .eventBusPrefix("bad..prefix"));

    assertThatThrownBy(() -> join(deployed))
        .cause()
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(
            e ->
                assertThat(e.getMessage().lines())
                    .hasSize(3)
                    .anyMatch(l -> l.startsWith("p2p.maxInbound:"))
                    .anyMatch(l -> l.startsWith("no.such.key:") && l.endsWith("(from NodeOptions)"))
                    .anyMatch(l -> l.startsWith("eventBus.prefix:")));
  }

  private NodeOptions options(String name) {
    return new NodeOptions()
        .dataDir(root.resolve(name))
        .listen("127.0.0.1:0")
        .admin("127.0.0.1:0")
        .eventBusPrefix(name)
        .network("embed-test-" + root.getFileName());
  }

  private JsonArray peers(NodeHandle node) throws Exception {
    return join(vertx.eventBus().<JsonArray>request(node.peersAddress(), null)).body();
  }

  private static <T> T join(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }
}
