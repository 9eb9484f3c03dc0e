package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two real nodes on loopback: dial, messages through the event bus and the admin API, goodbye. */
class MessagingTest {

  @TempDir
  Path root;
  private TestNodes nodes;
  private String idA;
  private String idB;
  private String deploymentB;
  private final BlockingQueue<JsonObject> eventsA = new LinkedBlockingQueue<>();

  @BeforeEach
  void connectTwoNodes() throws Exception {
    nodes = new TestNodes();
    nodes.vertx.eventBus().<JsonObject>consumer(new Addresses("a").events(), m -> eventsA.add(m.body()));
    nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
    idA = nodes.id("a");
    BlockingQueue<JsonObject> eventsB = new LinkedBlockingQueue<>();
    nodes.vertx.eventBus().<JsonObject>consumer(new Addresses("b").events(), m -> eventsB.add(m.body()));
    deploymentB = nodes.start(nodes.config(root.resolve("b"), "b",
        Map.of("p2p.dial", idA + "@" + nodes.listenAddress("a"))));
    idB = nodes.id("b");
    assertThat(next(eventsB, "peer.connected").getString("peer")).isEqualTo(idA);
    assertThat(next(eventsA, "peer.connected").getString("peer")).isEqualTo(idB);
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  @Test
  void sendOnTheEventBusArrivesOnTheTopicAddressWithHeaders() throws Exception {
    BlockingQueue<Message<Buffer>> received = new LinkedBlockingQueue<>();
    await(nodes.vertx.eventBus().<Buffer>consumer(new Addresses("a").topic("consensus"), received::add)
        .completion());
    await(nodes.vertx.eventBus().request(new Addresses("b").send(), Buffer.buffer("vote 1"), sendTo(idA, "consensus")));

    Message<Buffer> msg = received.poll(10, TimeUnit.SECONDS);
    assertThat(msg).isNotNull();
    assertThat(msg.body().toString()).isEqualTo("vote 1");
    assertThat(msg.headers().get(Addresses.HEADER_PEER)).isEqualTo(idB);
    assertThat(msg.headers().get(Addresses.HEADER_TOPIC)).isEqualTo("consensus");
  }

  @Test
  void sendFailuresCarryTheirCodes() throws Exception {
    var bus = nodes.vertx.eventBus();
    String prefixB = new Addresses("b").send();
    assertThat(failureCode(bus.request(prefixB, Buffer.buffer("x"), sendTo("ab".repeat(32), "consensus"))))
        .isEqualTo(404);
    assertThat(failureCode(bus.request(prefixB, Buffer.buffer("x"), sendTo(idA, "no_such_topic")))).isEqualTo(400);
    assertThat(failureCode(bus.request(prefixB, Buffer.buffer(new byte[(4 << 20) + 1]), sendTo(idA, "consensus"))))
        .isEqualTo(413);
  }

  @Test
  void adminApiSendsShowsRecentMessagesPeersAndCounters() throws Exception {
    int adminA = nodes.adminPort("a");
    int adminB = nodes.adminPort("b");
    byte[] payload = "block 7".getBytes(StandardCharsets.UTF_8);
    BlockingQueue<Message<Buffer>> received = new LinkedBlockingQueue<>();
    await(nodes.vertx.eventBus().<Buffer>consumer(new Addresses("a").topic("block"), received::add).completion());
    var sent = await(nodes.http.post(adminB, "127.0.0.1", "/api/send?peer=" + idA + "&topic=block")
        .sendBuffer(Buffer.buffer(payload)));
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();

    JsonArray recent = nodes.get(adminA, "/api/recent?topic=block").bodyAsJsonArray();
    assertThat(recent).hasSize(1);
    JsonObject entry = recent.getJsonObject(0);
    assertThat(entry.getString("peer")).isEqualTo(idB);
    assertThat(entry.getInteger("size")).isEqualTo(payload.length);
    assertThat(entry.getString("sha256")).isEqualTo(HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(payload)));

    JsonArray peersOfA = nodes.get(adminA, "/api/peers").bodyAsJsonArray();
    assertThat(peersOfA).hasSize(1);
    assertThat(peersOfA.getJsonObject(0).getString("id")).isEqualTo(idB);
    assertThat(peersOfA.getJsonObject(0).getString("direction")).isEqualTo("inbound");
    assertThat(peersOfA.getJsonObject(0).getJsonObject("topics").getJsonObject("block").getLong("messagesIn"))
        .isEqualTo(1);
    assertThat(nodes.get(adminB, "/api/node").bodyAsJsonObject().getJsonObject("peers"))
        .isEqualTo(new JsonObject().put("inbound", 0).put("outbound", 1));
    String metrics = nodes.get(adminA, "/metrics").bodyAsString();
    assertThat(metrics)
        .containsPattern("p2p_messages_total\\{[^}]*direction=\"in\"[^}]*topic=\"block\"[^}]*} 1.0")
        .containsPattern("vertx_eventbus_pending\\{[^}]*address=\"a\\.topic\\.block\"")
        .as("reply and internal addresses are folded, not one series each").doesNotContain("__vertx.reply");

    assertThat(await(nodes.http.post(adminB, "127.0.0.1", "/api/send?peer=" + "cd".repeat(32) + "&topic=block")
        .sendBuffer(Buffer.buffer("x"))).statusCode()).isEqualTo(404);
    assertThat(nodes.get(adminA, "/api/recent?topic=nope").statusCode()).as("as for send and broadcast").isEqualTo(400);
  }

  @Test
  void stoppingANodeSaysGoodbyeAndThePeerSeesTheReason() throws Exception {
    nodes.stop(deploymentB);
    JsonObject event = next(eventsA, "peer.disconnected");
    assertThat(event.getString("peer")).isEqualTo(idB);
    assertThat(event.getString("reason")).isEqualTo("GOODBYE");
    assertThat(event.getString("detail")).contains("shutting down");
  }

  static DeliveryOptions sendTo(String peer, String topic) {
    return new DeliveryOptions().addHeader(Addresses.HEADER_PEER, peer).addHeader(Addresses.HEADER_TOPIC, topic);
  }

  private static int failureCode(io.vertx.core.Future<?> request) throws Exception {
    try {
      await(request);
      throw new AssertionError("request succeeded");
    } catch (java.util.concurrent.ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }

  static JsonObject next(BlockingQueue<JsonObject> events, String type) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      JsonObject e = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (e == null) {
        throw new AssertionError("no " + type + " event within 10 s");
      }
      if (type.equals(e.getString("type"))) {
        return e;
      }
    }
  }
}
