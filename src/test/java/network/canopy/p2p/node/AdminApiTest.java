package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import network.canopy.p2p.crypto.NodeKeyFile;
import network.canopy.p2p.gossip.GossipId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin HTTP surface of a running node, over real HTTP on loopback. */
class AdminApiTest {

  @TempDir Path dataDir;
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
    assertThat(node.getJsonObject("peers").fieldNames())
        .containsExactlyInAnyOrder("inbound", "outbound");
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

  @Test
  void aBinaryBodyIsThePayloadWhateverTheContentType() throws Exception {
    // What `curl --data-binary @file` sends: form-urlencoded, with bytes that are no valid form
    // encoding.
    byte[] random = new byte[2 * 1024 * 1024];
    new Random(19).nextBytes(random);
    Buffer payload = Buffer.buffer("%zz&=%").appendBytes(random);
    for (String type :
        new String[] {"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"}) {
      var response =
          TestNodes.await(
              nodes
                  .http
                  .post(port, "127.0.0.1", "/api/broadcast?topic=block")
                  .putHeader("content-type", type)
                  .sendBuffer(payload));
      assertThat(response.statusCode()).as(type + ": " + response.bodyAsString()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getString("id"))
          .as("the id of exactly the bytes sent")
          .isEqualTo(GossipId.of("block", payload).hex());
    }
  }

  @Test
  void aBodyOverTheTopicsLimitIs413WhateverTheContentType() throws Exception {
    Buffer atLimit = Buffer.buffer(new byte[4 * 1024 * 1024]);
    var ok =
        TestNodes.await(
            nodes
                .http
                .post(port, "127.0.0.1", "/api/broadcast?topic=consensus")
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .sendBuffer(atLimit));
    assertThat(ok.statusCode()).as(ok.bodyAsString()).isEqualTo(200);

    Buffer overTopic = Buffer.buffer(new byte[4 * 1024 * 1024 + 1]);
    var tooLarge =
        TestNodes.await(
            nodes
                .http
                .post(port, "127.0.0.1", "/api/broadcast?topic=consensus")
                .putHeader("content-type", "application/x-www-form-urlencoded")
                .sendBuffer(overTopic));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.bodyAsJsonObject().getString("error")).contains("limit");
  }

  @Test
  void aBodyOverTheNodesMessageLimitIs413BeforeItIsRead() throws Exception {
    nodes.close();
    nodes = new TestNodes();
    nodes.start(
        nodes.config(
            dataDir,
            "admintest",
            Map.of(
                "p2p.maxMessageSize",
                "1000",
                "topics",
                "[{\"name\":\"tx\",\"id\":4,\"gossip\":true,\"maxMessageSize\":1000}]")));
    port = nodes.adminPort("admintest");
    var tooLarge =
        TestNodes.await(
            nodes
                .http
                .post(port, "127.0.0.1", "/api/broadcast?topic=tx")
                .sendBuffer(Buffer.buffer("x".repeat(1001).getBytes(StandardCharsets.US_ASCII))));
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.bodyAsJsonObject().getString("error")).contains("1001 bytes");
  }
}
