package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that breaks the protocol again and again is banned, refused while banned, then let back.
 */
class MisbehavingPeerTest {

  @TempDir Path root;

  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  @Test
  void repeatOffenderIsBannedRefusedAndAllowedBackAfterTheBan() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      BlockingQueue<JsonObject> events = PeerLimitsTest.events(nodes, "a");
      client = nodes.vertx.createNetClient();
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.banDurationMs", "1500")));
      String idA = nodes.id("a");
      int port = Integer.parseInt(nodes.listenAddress("a").split(":")[1]);
      HandshakeCredentials offender =
          HandshakeCredentials.create(
              NodeIdentity.generate(new SecureRandom()),
              new NodeMetadata(1, "canopy-local", 1, "", List.of()),
              new SecureRandom());

      // Offence 1: a packet for a topic the node does not have.
      byte[] unknownTopic = new byte[PacketFormat.START_HEADER_LENGTH + 1];
      PacketFormat.writeHeader(
          unknownTopic, 0, 200, PacketFormat.FLAG_START | PacketFormat.FLAG_END, 1, 1);
      sendRaw(nodes, port, idA, offender, unknownTopic);
      JsonObject first = MessagingTest.next(events, "peer.disconnected");
      assertThat(first.getString("reason")).isEqualTo("UNKNOWN_TOPIC");

      // Offence 2: a malformed packet (unknown flag bits) — this one crosses the ban threshold.
      sendRaw(nodes, port, idA, offender, new byte[] {1, (byte) 0x80, 0, 0});
      JsonObject banned = MessagingTest.next(events, "peer.banned");
      assertThat(banned.getString("peer")).isEqualTo(offender.nodeId());
      assertThat(banned.getLong("until")).isGreaterThan(System.currentTimeMillis());

      // While banned it is refused, and told why.
      CloseReason[] reason = new CloseReason[1];
      String refusal = await(connectProperly(nodes, port, idA, offender, reason));
      assertThat(reason[0]).isEqualTo(CloseReason.GOODBYE);
      assertThat(refusal).startsWith("banned until");

      // After the ban it may connect again, and stays.
      await(
          nodes.vertx.timer(
              Math.max(1, banned.getLong("until") - System.currentTimeMillis() + 50)));
      Future<String> again = connectProperly(nodes, port, idA, offender, reason);
      JsonObject back = MessagingTest.next(events, "peer.connected");
      assertThat(back.getString("peer")).isEqualTo(offender.nodeId());
      assertThat(again.isComplete()).as("still connected").isFalse();
    }
  }

  /** Handshakes as {@code who}, then sends one frame holding {@code plaintext} as it is. */
  private void sendRaw(
      TestNodes nodes, int port, String idA, HandshakeCredentials who, byte[] plaintext)
      throws Exception {
    EncryptedConn conn =
        await(
            client
                .connect(port, "127.0.0.1")
                .compose(socket -> SocketHandshake.initiate(nodes.vertx, socket, who, idA, 5_000)));
    Promise<Void> closed = Promise.promise();
    conn.context()
        .runOnContext(
            v -> {
              conn.start(
                  new EncryptedConn.Listener() {
                    @Override
                    public void onFrame(byte[] p, int off, int len) {}

                    @Override
                    public void onClosed(CloseReason r, String detail) {
                      closed.tryComplete();
                    }
                  });
              conn.send(plaintext);
            });
    await(closed.future());
  }

  /**
   * Handshakes as {@code who} and runs a real MultiConn; the future completes with the detail of
   * the close (the node's goodbye text) if the connection ends.
   */
  private Future<String> connectProperly(
      TestNodes nodes, int port, String idA, HandshakeCredentials who, CloseReason[] reason)
      throws Exception {
    Promise<String> closed = Promise.promise();
    EncryptedConn conn =
        await(
            client
                .connect(port, "127.0.0.1")
                .compose(socket -> SocketHandshake.initiate(nodes.vertx, socket, who, idA, 5_000)));
    conn.context()
        .runOnContext(
            v ->
                MultiConn.start(
                    nodes.vertx,
                    conn,
                    ConnSettings.of(List.of(TopicSpec.peerExchangeDefault())),
                    new MultiConn.Listener() {
                      @Override
                      public boolean onMessage(int topicId, Buffer payload) {
                        return true;
                      }

                      @Override
                      public void onClosed(CloseReason r, String detail) {
                        reason[0] = r;
                        closed.tryComplete(detail);
                      }
                    }));
    return closed.future();
  }
}
