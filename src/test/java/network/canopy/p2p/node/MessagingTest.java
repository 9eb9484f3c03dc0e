package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.embed.NodeHandle;
import network.canopy.p2p.embed.testkit.CanopyNetworkExtension;
import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two real nodes on loopback (the test kit's): messages through the event bus and the admin API,
 * goodbye.
 */
class MessagingTest {

  @RegisterExtension final CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(2);

  private CanopyTestNetwork net;
  private NodeHandle a;
  private NodeHandle b;
  private WebClient http;

  @BeforeEach
  void twoConnectedNodes() {
    net = canopy.network();
    a = net.node(0);
    b = net.node(1); // the kit's higher-numbered node dials: b → a
    http = WebClient.create(net.vertx());
  }

  @Test
  void sendOnTheEventBusArrivesOnTheTopicAddressWithHeaders() throws Exception {
    BlockingQueue<Message<Buffer>> received = new LinkedBlockingQueue<>();
    await(
        net.vertx()
            .eventBus()
            .<Buffer>consumer(a.topicAddress("consensus"), received::add)
            .completion());
    await(
        net.vertx()
            .eventBus()
            .request(b.sendAddress(), Buffer.buffer("vote 1"), sendTo(a.id(), "consensus")));

    Message<Buffer> msg = received.poll(10, TimeUnit.SECONDS);
    assertThat(msg).isNotNull();
    assertThat(msg.body().toString()).isEqualTo("vote 1");
    assertThat(msg.headers().get(Addresses.HEADER_PEER)).isEqualTo(b.id());
    assertThat(msg.headers().get(Addresses.HEADER_TOPIC)).isEqualTo("consensus");
  }

  @Test
  void everyLocalConsumerGetsTheSameReadOnlyBytesNotACopyEach() throws Exception {
    BlockingQueue<Message<Buffer>> first = new LinkedBlockingQueue<>();
    BlockingQueue<Message<Buffer>> second = new LinkedBlockingQueue<>();
    var bus = net.vertx().eventBus();
    await(bus.<Buffer>consumer(a.topicAddress("block"), first::add).completion());
    await(bus.<Buffer>consumer(a.topicAddress("block"), second::add).completion());
    byte[] block = new byte[300_000]; // several packets: reassembled
    new java.util.Random(7).nextBytes(block);
    await(bus.request(b.sendAddress(), Buffer.buffer(block), sendTo(a.id(), "block")));

    Message<Buffer> one = first.poll(10, TimeUnit.SECONDS);
    Message<Buffer> other = second.poll(10, TimeUnit.SECONDS);
    assertThat(one).isNotNull();
    assertThat(other).isNotNull();
    assertThat(one.body().getBytes()).isEqualTo(block);
    assertThat(other.body()).as("shared, not copied per consumer").isSameAs(one.body());
    assertThatThrownBy(() -> one.body().setByte(0, (byte) 1))
        .as("so no consumer can change what another reads")
        .isInstanceOf(java.nio.ReadOnlyBufferException.class);
    assertThat(Buffer.buffer().appendBuffer(one.body()).setByte(0, (byte) 1).length())
        .as("a writable copy is one append away")
        .isEqualTo(block.length);
  }

  @Test
  void sendFailuresCarryTheirCodes() throws Exception {
    var bus = net.vertx().eventBus();
    assertThat(
            failureCode(
                bus.request(
                    b.sendAddress(), Buffer.buffer("x"), sendTo("ab".repeat(32), "consensus"))))
        .isEqualTo(404);
    assertThat(
            failureCode(
                bus.request(b.sendAddress(), Buffer.buffer("x"), sendTo(a.id(), "no_such_topic"))))
        .isEqualTo(400);
    assertThat(
            failureCode(
                bus.request(
                    b.sendAddress(),
                    Buffer.buffer(new byte[(4 << 20) + 1]),
                    sendTo(a.id(), "consensus"))))
        .isEqualTo(413);
  }

  @Test
  void adminApiSendsShowsRecentMessagesPeersAndCounters() throws Exception {
    byte[] payload = "block 7".getBytes(StandardCharsets.UTF_8);
    BlockingQueue<Message<Buffer>> received = new LinkedBlockingQueue<>();
    await(
        net.vertx()
            .eventBus()
            .<Buffer>consumer(a.topicAddress("block"), received::add)
            .completion());
    var sent =
        await(
            http.post(b.adminPort(), "127.0.0.1", "/api/send?peer=" + a.id() + "&topic=block")
                .sendBuffer(Buffer.buffer(payload)));
    assertThat(sent.statusCode()).isEqualTo(200);
    assertThat(received.poll(10, TimeUnit.SECONDS)).isNotNull();

    JsonArray recent = get(a, "/api/recent?topic=block").bodyAsJsonArray();
    assertThat(recent).hasSize(1);
    JsonObject entry = recent.getJsonObject(0);
    assertThat(entry.getString("peer")).isEqualTo(b.id());
    assertThat(entry.getInteger("size")).isEqualTo(payload.length);
    assertThat(entry.getString("sha256"))
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload)));

    JsonArray peersOfA = get(a, "/api/peers").bodyAsJsonArray();
    assertThat(peersOfA).hasSize(1);
    assertThat(peersOfA.getJsonObject(0).getString("id")).isEqualTo(b.id());
    assertThat(peersOfA.getJsonObject(0).getString("direction")).isEqualTo("inbound");
    assertThat(
            peersOfA
                .getJsonObject(0)
                .getJsonObject("topics")
                .getJsonObject("block")
                .getLong("messagesIn"))
        .isEqualTo(1);
    assertThat(get(b, "/api/node").bodyAsJsonObject().getJsonObject("peers"))
        .isEqualTo(new JsonObject().put("inbound", 0).put("outbound", 1));
    String metrics = get(a, "/metrics").bodyAsString();
    assertThat(metrics)
        .containsPattern("p2p_messages_total\\{[^}]*direction=\"in\"[^}]*topic=\"block\"[^}]*} 1.0")
        .containsPattern(
            "vertx_eventbus_pending\\{[^}]*address=\"" + a.prefix() + "\\.topic\\.block\"")
        .as("reply and internal addresses are folded, not one series each")
        .doesNotContain("__vertx.reply");

    assertThat(
            await(
                    http.post(
                            b.adminPort(),
                            "127.0.0.1",
                            "/api/send?peer=" + "cd".repeat(32) + "&topic=block")
                        .sendBuffer(Buffer.buffer("x")))
                .statusCode())
        .isEqualTo(404);
    assertThat(get(a, "/api/recent?topic=nope").statusCode())
        .as("as for send and broadcast")
        .isEqualTo(400);
  }

  @Test
  void stoppingANodeSaysGoodbyeAndThePeerSeesTheReason() throws Exception {
    List<JsonObject> eventsA = new CopyOnWriteArrayList<>();
    await(
        net.vertx()
            .eventBus()
            .<JsonObject>consumer(a.eventsAddress(), m -> eventsA.add(m.body()))
            .completion());

    net.stop(1);

    JsonObject event =
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () ->
                    eventsA.stream()
                        .filter(e -> "peer.disconnected".equals(e.getString("type")))
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    assertThat(event.getString("peer")).isEqualTo(net.id(1));
    assertThat(event.getString("reason")).isEqualTo("GOODBYE");
    assertThat(event.getString("detail")).contains("shutting down");
  }

  private HttpResponse<Buffer> get(NodeHandle node, String path) throws Exception {
    return await(http.get(node.adminPort(), "127.0.0.1", path).send());
  }

  static DeliveryOptions sendTo(String peer, String topic) {
    return new DeliveryOptions()
        .addHeader(Addresses.HEADER_PEER, peer)
        .addHeader(Addresses.HEADER_TOPIC, topic);
  }

  private static int failureCode(io.vertx.core.Future<?> request) throws Exception {
    try {
      await(request);
      throw new AssertionError("request succeeded");
    } catch (java.util.concurrent.ExecutionException e) {
      return ((ReplyException) e.getCause()).failureCode();
    }
  }

  /**
   * The next event of {@code type} (others skipped), within 10 s; for node tests that queue events.
   */
  static JsonObject next(BlockingQueue<JsonObject> events, String type)
      throws InterruptedException {
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
