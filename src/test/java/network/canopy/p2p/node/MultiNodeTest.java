package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Set;
import network.canopy.p2p.embed.testkit.CanopyNetworkExtension;
import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several nodes share one JVM and one Vert.x instance, kept apart by ports, data dirs and prefixes.
 */
class MultiNodeTest {

  @RegisterExtension final CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(3);

  @Test
  void threeNodesRunSideBySideAndStopIndependently(CanopyTestNetwork net) throws Exception {
    WebClient http = WebClient.create(net.vertx());
    int[] ports = new int[3];
    for (int i = 0; i < 3; i++) {
      ports[i] = net.node(i).adminPort();
      assertThat(get(http, ports[i], "/api/node").bodyAsJsonObject().getString("id"))
          .isEqualTo(net.id(i));
    }
    assertThat(Set.of(net.id(0), net.id(1), net.id(2))).hasSize(3);
    assertThat(Set.of(ports[0], ports[1], ports[2])).hasSize(3);

    net.stop(1);

    assertThat(get(http, ports[0], "/health").statusCode()).isEqualTo(200);
    assertThat(get(http, ports[2], "/health").statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> get(http, ports[1], "/health"))
        .hasRootCauseInstanceOf(java.net.ConnectException.class);
    net.awaitConnected(); // 0 and 2 stay connected to each other, without 1
  }

  @Test
  void aRestartedNodeKeepsItsIdAndPortAndRejoins(CanopyTestNetwork net) throws Exception {
    String id = net.id(2);
    int port = net.node(2).listenPort();
    net.stop(2);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> peerCount(net, 0) == 1 && peerCount(net, 1) == 1);

    net.restart(2);

    assertThat(net.node(2).id()).isEqualTo(id);
    assertThat(net.node(2).listenPort()).isEqualTo(port);
    net.awaitConnected();
    assertThat(peerCount(net, 0)).isEqualTo(2);
  }

  private static int peerCount(CanopyTestNetwork net, int node) throws Exception {
    return TestNodes.await(
            net.vertx()
                .eventBus()
                .<io.vertx.core.json.JsonArray>request(net.node(node).peersAddress(), null))
        .body()
        .size();
  }

  private static HttpResponse<Buffer> get(WebClient http, int port, String path) throws Exception {
    return TestNodes.await(http.get(port, "127.0.0.1", path).send());
  }
}
