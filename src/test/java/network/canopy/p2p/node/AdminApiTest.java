package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP surface of a running node, over real HTTP on loopback. */
class AdminApiTest {

  @TempDir
  Path dataDir;
  private TestNodes nodes;
  private int port;

  @BeforeEach
  void startNode() throws Exception {
    nodes = new TestNodes();
    nodes.start(nodes.config(dataDir, "admintest", Map.of("network", "admin-net")));
    port = nodes.adminPort("admintest");
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void healthIsUpOnceTheNodeIsRunning() throws Exception {
    var response = nodes.get(port, "/health");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  void metricsAreInPrometheusTextFormatWithJvmAndNodeMetrics() throws Exception {
    var response = nodes.get(port, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/plain");
    String body = response.bodyAsString();
    assertThat(body).contains("# TYPE jvm_memory_used_bytes gauge");
    assertThat(body).contains("jvm_threads_live_threads");
    assertThat(body).contains("vertx_http_server_active_connections");
    assertThat(body).containsPattern("p2p_node\\{[^}]*network=\"admin-net\"");
  }

  @Test
  void nodeDescribesItselfWithTheIdOfItsKeyAndTheChosenPorts() throws Exception {
    var response = nodes.get(port, "/api/node");
    assertThat(response.statusCode()).isEqualTo(200);
    JsonObject node = response.bodyAsJsonObject();
    assertThat(node.getString("id")).isEqualTo(NodeKeyFile.load(dataDir).id()).hasSize(64);
    assertThat(node.getString("network")).isEqualTo("admin-net");
    assertThat(node.getString("admin")).isEqualTo("127.0.0.1:" + port);
    assertThat(node.getString("listen")).startsWith("127.0.0.1:");
    assertThat(node.getString("version")).isNotBlank();
    assertThat(node.getJsonObject("peers").fieldNames()).containsExactlyInAnyOrder("inbound", "outbound");
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrorsNotStackTraces() throws Exception {
    var missing = nodes.get(port, "/api/nothing-here");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.bodyAsJsonObject().getString("error")).contains("/api/nothing-here");

    var wrongMethod = TestNodes.await(nodes.http.delete(port, "127.0.0.1", "/api/node").send());
    assertThat(wrongMethod.statusCode()).isBetween(400, 499);
    assertThat(wrongMethod.bodyAsJsonObject().getString("error")).isNotBlank();
    assertThat(wrongMethod.bodyAsString()).doesNotContain("Exception").doesNotContain("\tat ");
  }
}
