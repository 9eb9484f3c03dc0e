package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.gossip.GossipId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broadcast API on a line of three nodes 0 — 1 — 2 (one network for the class; each test uses
 * its own payloads): ids, refusals, forged ids, non-gossip topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GossipApiTest {

  private SimNetwork net;

  @BeforeAll
  void startLine(@TempDir Path root) throws Exception {
    net = new SimNetwork(SimGraph.line(3), root, "consensus", Map.of());
    net.start();
  }

  @AfterAll
  void stop() throws Exception {
    net.close();
  }

  @Test
  void httpBroadcastAnswersWithTheMessageIdAndOtherNodesListItInRecent() throws Exception {
    WebClient http = WebClient.create(net.vertx());
    Buffer payload = Buffer.buffer("vote for block 9");
    String expectedId = GossipId.of("consensus", payload).hex();
    net.log().sent(expectedId, 0);
    HttpResponse<Buffer> reply =
        await(
            http.post(adminPort(0), "127.0.0.1", "/api/broadcast?topic=consensus")
                .sendBuffer(payload));

    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.bodyAsJsonObject()).isEqualTo(new JsonObject().put("id", expectedId));
    GossipNetworkTest.soon().until(() -> net.log().track(expectedId).deliveries(2) == 1);
    JsonArray recent =
        await(http.get(adminPort(2), "127.0.0.1", "/api/recent?topic=consensus").send())
            .bodyAsJsonArray();
    assertThat(recent.getJsonObject(0).getString("id")).isEqualTo(expectedId);
    assertThat(recent.getJsonObject(0).getString("peer")).isEqualTo(net.id(1));
    JsonObject middle =
        await(http.get(adminPort(1), "127.0.0.1", "/api/topics").send()).bodyAsJsonArray().stream()
            .map(JsonObject.class::cast)
            .filter(t -> t.getString("name").equals("consensus"))
            .findFirst()
            .orElseThrow()
            .getJsonObject("gossipCounters");
    assertThat(middle.getLong("delivered")).isPositive();
    assertThat(middle.getLong("forwarded")).as("on to node 2").isPositive();
    assertThat(middle.fieldNames())
        .containsExactlyInAnyOrder(
            "originated", "received", "delivered", "duplicate", "forwarded", "dropped");

    HttpResponse<Buffer> refused =
        await(
            http.post(adminPort(0), "127.0.0.1", "/api/broadcast?topic=block_request")
                .sendBuffer(payload));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.bodyAsJsonObject().getString("error")).contains("not a gossip topic");
    assertThat(
            await(
                    http.post(adminPort(0), "127.0.0.1", "/api/broadcast?topic=nope")
                        .sendBuffer(payload))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            await(http.post(adminPort(0), "127.0.0.1", "/api/broadcast").sendBuffer(payload))
                .statusCode())
        .isEqualTo(400);
    assertThat(
            await(
                    http.post(adminPort(0), "127.0.0.1", "/api/broadcast?topic=consensus")
                        .sendBuffer(Buffer.buffer(new byte[(4 << 20) + 1])))
                .statusCode())
        .isEqualTo(413);
  }

  @Test
  void aForgedIdCannotSuppressARealMessage() throws Exception {
    Buffer real = Buffer.buffer("the real vote");
    String realId = GossipId.of("consensus", real).hex();
    // The id header of a broadcast request is not trusted: the node names the message itself.
    Buffer decoy = Buffer.buffer("a decoy claiming the real vote's id");
    DeliveryOptions forged =
        new DeliveryOptions()
            .addHeader(Addresses.HEADER_TOPIC, "consensus")
            .addHeader(Addresses.HEADER_MSG_ID, realId);
    String decoyId =
        await(net.vertx().eventBus().<String>request(net.addresses(0).broadcast(), decoy, forged))
            .body();
    assertThat(decoyId).isEqualTo(GossipId.of("consensus", decoy).hex()).isNotEqualTo(realId);
    // The same bytes on another gossip topic are another message: ids bind the topic.
    DeliveryOptions onTx = new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, "tx");
    String txId =
        await(net.vertx().eventBus().<String>request(net.addresses(0).broadcast(), real, onTx))
            .body();
    assertThat(txId).isNotEqualTo(realId);

    assertThat(net.broadcast(2, real)).isEqualTo(realId);

    DeliveryLog.Track track = net.log().track(realId);
    BitSet others = new BitSet();
    others.set(0, 2);
    GossipNetworkTest.soon().until(() -> track.nanosToReach(others) >= 0);
    assertThat(track.deliveries(0)).isEqualTo(1);
    assertThat(track.deliveries(1)).isEqualTo(1);
  }

  @Test
  void aMessageOnATopicThatIsNotGossipedIsNotForwarded() throws Exception {
    List<String> atMiddle = new CopyOnWriteArrayList<>();
    List<String> atEnd = new CopyOnWriteArrayList<>();
    net.vertx()
        .eventBus()
        .<Buffer>consumer(
            net.addresses(1).topic("block_request"), m -> atMiddle.add(m.body().toString()));
    await(
        net.vertx()
            .eventBus()
            .<Buffer>consumer(
                net.addresses(2).topic("block_request"), m -> atEnd.add(m.body().toString()))
            .completion());

    await(
        net.vertx()
            .eventBus()
            .request(net.addresses(0).send(), Buffer.buffer("request 1"), to(net.id(1))));
    GossipNetworkTest.soon().until(() -> atMiddle.contains("request 1"));
    // A forwarded copy would have been queued before node 1 delivered: it would arrive first.
    await(
        net.vertx()
            .eventBus()
            .request(net.addresses(1).send(), Buffer.buffer("marker"), to(net.id(2))));
    GossipNetworkTest.soon().until(() -> atEnd.contains("marker"));

    assertThat(atEnd).containsExactly("marker");
    assertThat(
            failureCode(
                net.vertx()
                    .eventBus()
                    .request(
                        net.addresses(0).broadcast(),
                        Buffer.buffer("x"),
                        new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, "block_request"))))
        .isEqualTo(400);
  }

  private static DeliveryOptions to(String peer) {
    return new DeliveryOptions()
        .addHeader(Addresses.HEADER_PEER, peer)
        .addHeader(Addresses.HEADER_TOPIC, "block_request");
  }

  private int adminPort(int node) throws Exception {
    String admin =
        await(net.vertx().eventBus().<JsonObject>request(net.addresses(node).nodeStatus(), null))
            .body()
            .getString("admin");
    return Integer.parseInt(admin.substring(admin.lastIndexOf(':') + 1));
  }

  private static int failureCode(Future<?> request) throws Exception {
    try {
      await(request);
      throw new AssertionError("request succeeded");
    } catch (ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
