package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.TopicSpec;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.PeerExchangeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer exchange on the wire: a node answers requests with its book, within a rate, and bans
 * abusers.
 */
class PeerExchangeWireTest {

  @TempDir Path root;

  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  /**
   * A raw authenticated peer: everything the node sends it on topic 255 lands in {@code received}.
   */
  private record FakePeer(
      MultiConn conn, BlockingQueue<byte[]> received, HandshakeCredentials credentials) {
    void send(byte[] payload) {
      conn.send(PacketFormat.PEER_EXCHANGE_TOPIC, Buffer.buffer(payload));
    }
  }

  private FakePeer connect(TestNodes nodes, String prefix) throws Exception {
    HandshakeCredentials who =
        HandshakeCredentials.create(
            NodeIdentity.generate(new SecureRandom()),
            new NodeMetadata(1, "canopy-local", 1, "127.0.0.1:9", List.of()),
            new SecureRandom());
    int port = Integer.parseInt(nodes.listenAddress(prefix).split(":")[1]);
    String nodeId = nodes.id(prefix);
    EncryptedConn conn =
        await(
            client
                .connect(port, "127.0.0.1")
                .compose(
                    socket -> SocketHandshake.initiate(nodes.vertx, socket, who, nodeId, 5_000)));
    BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    Promise<MultiConn> started = Promise.promise();
    conn.context()
        .runOnContext(
            v ->
                started.complete(
                    MultiConn.start(
                        nodes.vertx,
                        conn,
                        ConnSettings.of(
                            List.of(new TopicSpec(1, "consensus", 8, 1 << 20, 1 << 20, 1 << 20))),
                        new MultiConn.Listener() {
                          @Override
                          public boolean onMessage(int topicId, Buffer payload) {
                            received.add(payload.getBytes());
                            return true;
                          }

                          @Override
                          public void onClosed(CloseReason r, String detail) {}
                        })));
    return new FakePeer(await(started.future()), received, who);
  }

  @Test
  void requestsAreAnsweredFromTheBookUpToTheRateThenTheRequesterIsBanned() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      BlockingQueue<JsonObject> events = PeerLimitsTest.events(nodes, "a");
      nodes.start(
          nodes.config(root.resolve("a"), "a", Map.of("p2p.peerExchangeRequestsPerMinute", "10")));
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of()));
      String idB = nodes.id("b");
      await(
          nodes
              .vertx
              .eventBus()
              .request(new Addresses("b").dial(), nodes.id("a") + "@" + nodes.listenAddress("a")));
      MessagingTest.next(events, "peer.connected");

      FakePeer fake = connect(nodes, "a");
      MessagingTest.next(events, "peer.connected");
      byte[] request = new PeerExchangeMessage.Request(32).encode();
      for (int i = 0; i < 10; i++) {
        fake.send(request);
      }
      for (int i = 0; i < 10; i++) {
        byte[] bytes = fake.received().poll(10, TimeUnit.SECONDS);
        assertThat(bytes).as("answer %d of the 10 requests a minute allows", i + 1).isNotNull();
        PeerExchangeMessage.Response answer =
            (PeerExchangeMessage.Response) PeerExchangeMessage.decode(bytes);
        assertThat(answer.entries())
            .extracting(e -> HexFormat.of().formatHex(e.id()))
            .as("a's book: b, proven by its handshake; never the requester itself")
            .containsExactly(idB);
        assertThat(answer.entries().get(0).port())
            .isEqualTo(Integer.parseInt(nodes.listenAddress("b").split(":")[1]));
      }

      // Each further request in the minute is refused and costs 10 points: about the fifth reaches
      // the
      // ban at -50 (scores decay continuously, so exactly five can fall short by a hair on a slow
      // run).
      for (int i = 0; i < 8; i++) {
        fake.send(request);
      }
      JsonObject banned = MessagingTest.next(events, "peer.banned");
      assertThat(banned.getString("peer")).isEqualTo(fake.credentials().nodeId());
      assertThat(banned.getString("reason")).isEqualTo("PEX_RATE_EXCEEDED");
      assertThat(fake.received()).as("refused requests get no answer").isEmpty();
    }
  }

  @Test
  void aNodeWithDiscoveryOffNeitherAnswersNorBlamesAddressRequests() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      BlockingQueue<JsonObject> events = PeerLimitsTest.events(nodes, "a");
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.discovery", "false")));
      BlockingQueue<Object> delivered = new LinkedBlockingQueue<>();
      await(
          nodes
              .vertx
              .eventBus()
              .consumer(new Addresses("a").topic("consensus"), delivered::add)
              .completion());
      FakePeer fake = connect(nodes, "a");
      MessagingTest.next(events, "peer.connected");
      for (int i = 0; i < 20; i++) {
        fake.send(new PeerExchangeMessage.Request(32).encode());
      }
      // A message after them on the same connection: once it is delivered, the requests were
      // handled.
      fake.conn().send(1, Buffer.buffer("after the requests"));
      assertThat(delivered.poll(10, TimeUnit.SECONDS)).isNotNull();
      JsonObject peer =
          nodes.get(nodes.adminPort("a"), "/api/peers").bodyAsJsonArray().getJsonObject(0);
      assertThat(peer.getDouble("reputation"))
          .as("twice the request limit, and not a point lost")
          .isZero();
      assertThat(fake.received()).as("no answers").isEmpty();
    }
  }

  @Test
  void malformedPeerExchangeMessagesCostReputationUntilTheSenderIsBanned() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      BlockingQueue<JsonObject> events = PeerLimitsTest.events(nodes, "a");
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      FakePeer fake = connect(nodes, "a");
      MessagingTest.next(events, "peer.connected");
      for (int i = 0; i < 3; i++) {
        fake.send(new byte[] {PeerExchangeMessage.KIND_RESPONSE, (byte) 200});
      }
      JsonObject banned = MessagingTest.next(events, "peer.banned");
      assertThat(banned.getString("peer")).isEqualTo(fake.credentials().nodeId());
      assertThat(banned.getString("reason")).isEqualTo("INVALID_PEX");
      JsonObject only = DiscoveryTest.book(nodes, "a").getJsonObject(0);
      assertThat(DiscoveryTest.book(nodes, "a")).as("nothing it sent entered the book").hasSize(1);
      assertThat(only.getString("id"))
          .as("only its own inbound entry")
          .isEqualTo(fake.credentials().nodeId());
      assertThat(only.getLong("bannedUntil"))
          .as("marked banned, so never shared or dialled")
          .isEqualTo(banned.getLong("until"));
    }
  }
}
