package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Direct messages stay direct, on a line of real nodes a — b — c — d (each connected only to its
 * neighbours) and on the gossip topic {@code tx}: sent to one peer, to every peer ({@code *}), to a
 * random one, or to the node itself. Each test uses its own payloads; "marker" gossip sent after a
 * direct message proves that a forwarded copy would have arrived by then (one path, in order).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectMessagesTest {

  private static final String TX = "tx";
  private TrustLine line;

  @BeforeAll
  void startLine(@TempDir Path root) throws Exception {
    line = new TrustLine(root);
    line.start("a", Map.of(), List.of(), TX);
    line.start("b", Map.of(), List.of("a"), TX);
    line.start("c", Map.of(), List.of("b"), TX);
    line.start("d", Map.of(), List.of("c"), TX);
  }

  @AfterAll
  void stop() throws Exception {
    line.close();
  }

  @Test
  void aDirectSendOnAGossipTopicReachesOnlyTheAddresseeAndTheSamePayloadTwiceArrivesTwice()
      throws Exception {
    int port = line.adminPort("a");
    for (int i = 0; i < 2; i++) {
      // curl --data-binary semantics: the body is the payload whatever the content type says.
      HttpResponse<Buffer> reply =
          await(
              line.nodes
                  .http
                  .post(port, "127.0.0.1", "/api/send?peer=" + line.id("b") + "&topic=" + TX)
                  .putHeader("Content-Type", "application/x-www-form-urlencoded")
                  .sendBuffer(Buffer.buffer("vote for 7")));
      assertThat(reply.statusCode()).isEqualTo(200);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("b", TX).stream().filter("vote for 7"::equals).count() == 2);
    line.broadcast("a", TX, "marker 1");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("c", TX).contains("marker 1"));

    assertThat(line.received("c", TX)).doesNotContain("vote for 7");
    Map<String, String> headers =
        line.headers("b", TX).get(line.received("b", TX).indexOf("vote for 7"));
    assertThat(headers)
        .containsEntry(Addresses.HEADER_PEER, line.id("a"))
        .doesNotContainKey(Addresses.HEADER_MSG_ID);
  }

  @Test
  void sendToEveryPeerReachesEachNeighbourOnceAndIsNotForwarded() throws Exception {
    JsonObject reply = (JsonObject) line.send("b", "*", TX, "to all neighbours");
    assertThat(reply.getJsonArray("peers").stream().toList())
        .containsExactlyInAnyOrder(line.id("a"), line.id("c"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                line.received("a", TX).contains("to all neighbours")
                    && line.received("c", TX).contains("to all neighbours"));
    // c would forward a gossip copy to d; a marker gossiped after it on the same path shows it did
    // not.
    line.broadcast("b", TX, "marker from b");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("d", TX).contains("marker from b"));

    assertThat(line.received("d", TX)).doesNotContain("to all neighbours");
    assertThat(line.received("a", TX).stream().filter("to all neighbours"::equals)).hasSize(1);
    assertThat(line.received("c", TX).stream().filter("to all neighbours"::equals)).hasSize(1);
  }

  @Test
  void sendToRandomReachesExactlyOneConnectedPeer() throws Exception {
    JsonObject reply = (JsonObject) line.send("b", "random", TX, "to one of you");
    String chosen = reply.getJsonArray("peers").getString(0);
    assertThat(reply.getJsonArray("peers")).hasSize(1);
    String chosenPrefix = chosen.equals(line.id("a")) ? "a" : "c";
    String otherPrefix = chosenPrefix.equals("a") ? "c" : "a";
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received(chosenPrefix, TX).contains("to one of you"));
    line.broadcast("b", TX, "marker random");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received(otherPrefix, TX).contains("marker random"));
    assertThat(line.received(otherPrefix, TX)).doesNotContain("to one of you");
  }

  @Test
  void sendToTheNodesOwnIdIsDeliveredLocallyAsIfFromAPeer() throws Exception {
    HttpResponse<Buffer> reply =
        await(
            line.nodes
                .http
                .post(
                    line.adminPort("a"),
                    "127.0.0.1",
                    "/api/send?peer=" + line.id("a") + "&topic=" + TX)
                .sendBuffer(Buffer.buffer("note to self")));
    assertThat(reply.statusCode()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("a", TX).contains("note to self"));
    Map<String, String> headers =
        line.headers("a", TX).get(line.received("a", TX).indexOf("note to self"));
    assertThat(headers)
        .containsEntry(Addresses.HEADER_PEER, line.id("a"))
        .containsEntry(Addresses.HEADER_TOPIC, TX);
    line.broadcast("a", TX, "marker self");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("b", TX).contains("marker self"));
    assertThat(line.received("b", TX)).doesNotContain("note to self");
  }
}
