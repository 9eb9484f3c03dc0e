package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import network.canopy.p2p.wire.Capability;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Capability negotiation between real nodes, with {@code direct/1} as the case: a hub that speaks
 * it, a peer that speaks it ("full"), and a peer configured with {@code p2p.capabilities} empty
 * ("old", as a node of the previous version), which has a peer of its own ("beyond"): full — hub —
 * old — beyond. A connection uses a capability only when both ends announced it, and PROTOCOL.md
 * §15 says what a direct send does without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectCapabilityTest {

  private static final String TX = "tx"; // gossiped
  private static final String REQUEST = "block_request"; // not gossiped
  private TrustLine line;

  @BeforeAll
  void start(@TempDir Path root) throws Exception {
    line = new TrustLine(root);
    line.start("hub", Map.of(), List.of(), TX, REQUEST);
    line.start("full", Map.of(), List.of("hub"), TX, REQUEST);
    line.start("old", Map.of("p2p.capabilities", ""), List.of("hub"), TX, REQUEST);
    line.start("beyond", Map.of(), List.of("old"), TX, REQUEST);
  }

  @AfterAll
  void stop() throws Exception {
    line.close();
  }

  @Test
  void aConnectionHasTheCapabilityOnlyWhenBothEndsAnnouncedIt() throws Exception {
    assertThat(line.peer("hub", line.id("full")).getJsonArray("capabilities").stream().toList())
        .containsExactlyInAnyOrderElementsOf(Capability.SUPPORTED)
        .contains(Capability.DIRECT);
    assertThat(line.peer("hub", line.id("old")).getJsonArray("capabilities").stream().toList())
        .isEmpty();
    assertThat(line.peer("old", line.id("hub")).getJsonArray("capabilities").stream().toList())
        .isEmpty();
    assertThat(line.peer("old", line.id("beyond")).getJsonArray("capabilities").stream().toList())
        .isEmpty();
  }

  @Test
  void aDirectSendOnATopicThePeerGossipsIsRefusedWithoutTheCapabilityAndNothingLeaks()
      throws Exception {
    HttpResponse<Buffer> refused =
        await(
            line.nodes
                .http
                .post(
                    line.adminPort("hub"),
                    "127.0.0.1",
                    "/api/send?peer=" + line.id("old") + "&topic=" + TX)
                .sendBuffer(Buffer.buffer("vote only for old")));
    assertThat(refused.statusCode()).isEqualTo(409);
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("direct/1");
    // The node without the capability applies the same rule to its own sends.
    assertThatThrownBy(() -> line.send("old", line.id("hub"), TX, "from old"))
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOf(ReplyException.class)
        .extracting(e -> ((ReplyException) e).failureCode())
        .isEqualTo(409);

    line.broadcast("hub", TX, "marker tx");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("beyond", TX).contains("marker tx"));
    assertThat(line.received("old", TX)).doesNotContain("vote only for old");
    assertThat(line.received("beyond", TX)).doesNotContain("vote only for old");
    assertThat(line.received("hub", TX)).doesNotContain("from old");
  }

  @Test
  void aDirectSendOnATopicThePeerDoesNotGossipGoesUnflaggedAndIsNotDeduplicated() throws Exception {
    line.send("hub", line.id("old"), REQUEST, "request for old");
    line.send("hub", line.id("old"), REQUEST, "request for old");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                line.received("old", REQUEST).stream().filter("request for old"::equals).count()
                    == 2);
  }

  @Test
  void sendToEveryPeerSkipsThePeerThatCouldNotTellItFromGossip() throws Exception {
    JsonObject reply = (JsonObject) line.send("hub", "*", TX, "to every capable peer");
    assertThat(reply.getJsonArray("peers").stream().toList()).containsExactly(line.id("full"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("full", TX).contains("to every capable peer"));
    line.broadcast("hub", TX, "marker star");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("beyond", TX).contains("marker star"));
    assertThat(line.received("old", TX)).doesNotContain("to every capable peer");
  }
}
