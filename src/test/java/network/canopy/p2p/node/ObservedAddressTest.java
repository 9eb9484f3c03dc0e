package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.PeerExchangeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reachability (docs/PROTOCOL.md §17.5): a node behind a "translated" address learns it from peers
 * that report where they see it, once peers of enough distinct groups agree; one lying peer, or
 * many ids from one group, cannot move it. The peers are written from PROTOCOL.md: authenticated
 * connections announcing addr/1 that send a fixed OBSERVED_ADDRESS.
 */
class ObservedAddressTest {

  private static final String TRANSLATED = "127.0.0.77";

  @TempDir
  Path root;
  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  /** A test peer advertising {@code listen}: what the node tells it lands in the queues. */
  private record Reporter(MultiConn conn, BlockingQueue<ControlMessage.ObservedAddress> observed,
      BlockingQueue<PeerExchangeMessage> exchange) {

    /** Says the node is seen at {@code ip}, then asks for addresses: the answer means the report was counted. */
    void report(String ip) throws Exception {
      conn.tellObservedAddress(new ControlMessage.ObservedAddress(InetAddress.getByName(ip).getAddress(), 40000));
      conn.send(PacketFormat.PEER_EXCHANGE_TOPIC, Buffer.buffer(new PeerExchangeMessage.Request(8).encode()));
      PeerExchangeMessage answer;
      do {
        answer = exchange.poll(10, TimeUnit.SECONDS);
        assertThat(answer).as("an answer to the request sent after the report").isNotNull();
      } while (!(answer instanceof PeerExchangeMessage.SignedResponse));
    }

    /** The node's own records received so far and until one states {@code ip}, or null after 10 s. */
    AddressRecord ownRecordAt(String ip) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        PeerExchangeMessage m = exchange.poll(100, TimeUnit.MILLISECONDS);
        if (m instanceof PeerExchangeMessage.OwnRecord own
            && InetAddress.getByAddress(own.record().ip()).getHostAddress().equals(ip)) {
          return own.record();
        }
      }
      return null;
    }
  }

  private Reporter connect(TestNodes nodes, String prefix, String listen) throws Exception {
    HandshakeCredentials who = HandshakeCredentials.create(NodeIdentity.generate(new SecureRandom()),
        new NodeMetadata(2, "canopy-local", 1, listen, List.of(), Set.of(Capability.ADDR)), new SecureRandom());
    int port = Integer.parseInt(nodes.listenAddress(prefix).split(":")[1]);
    String nodeId = nodes.id(prefix);
    EncryptedConn conn = await(client.connect(port, "127.0.0.1")
        .compose(socket -> SocketHandshake.initiate(nodes.vertx, socket, who, nodeId, 5_000)));
    BlockingQueue<ControlMessage.ObservedAddress> observed = new LinkedBlockingQueue<>();
    BlockingQueue<PeerExchangeMessage> exchange = new LinkedBlockingQueue<>();
    Promise<MultiConn> started = Promise.promise();
    conn.context().runOnContext(v -> started.complete(MultiConn.start(nodes.vertx, conn, ConnSettings.of(List.of()),
        new MultiConn.Listener() {
          @Override
          public boolean onMessage(int topicId, Buffer payload) {
            try {
              exchange.add(PeerExchangeMessage.decode(payload.getBytes()));
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return true;
          }

          @Override
          public void onObservedAddress(ControlMessage.ObservedAddress o) {
            observed.add(o);
          }

          @Override
          public void onClosed(CloseReason r, String detail) {
          }
        })));
    return new Reporter(await(started.future()), observed, exchange);
  }

  @Test
  void aNodeAdoptsTheAddressPeersOfDistinctGroupsAgreeOnAndNoSingleLiarMovesIt() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.observedAddressQuorum", "2", "p2p.maxPerIp", "16")));
      String port = nodes.listenAddress("a").split(":")[1];

      Reporter first = connect(nodes, "a", "127.0.0.1:9001");
      ControlMessage.ObservedAddress told = first.observed().poll(10, TimeUnit.SECONDS);
      assertThat(told).as("the node tells each addr/1 peer where it sees it").isNotNull();
      assertThat(InetAddress.getByAddress(told.ip()).getHostAddress()).isEqualTo("127.0.0.1");
      AddressRecord before = first.ownRecordAt("127.0.0.1");
      assertThat(before).as("and sends its own signed record").isNotNull();
      assertThat(before.port()).isEqualTo(Integer.parseInt(port));

      first.report(TRANSLATED);
      connect(nodes, "a", "127.0.0.1:9001").report(TRANSLATED); // another id, the same group
      assertThat(nodes.status("a").getValue("external")).as("one group is not enough, however many ids").isNull();

      connect(nodes, "a", "127.0.0.1:9002").report(TRANSLATED);
      JsonObject status = nodes.status("a");
      assertThat(status.getString("external")).as("two groups agree").isEqualTo(TRANSLATED + ":" + port);
      assertThat(status.getString("externalSource")).isEqualTo("observed");
      assertThat(status.getString("listen")).isEqualTo("127.0.0.1:" + port);
      AddressRecord adopted = first.ownRecordAt(TRANSLATED);
      assertThat(adopted).as("connected peers get the re-signed record").isNotNull();
      assertThat(adopted.verifies()).isTrue();
      assertThat(adopted.port()).as("the listening port, not an observed source port").isEqualTo(Integer.parseInt(port));

      connect(nodes, "a", "127.0.0.1:9003").report("127.0.0.99");
      assertThat(nodes.status("a").getString("external")).as("a single liar does not move it").isEqualTo(TRANSLATED + ":" + port);
      Reporter later = connect(nodes, "a", "127.0.0.1:9004");
      assertThat(later.conn().remoteMetadata().listenAddress()).as("new handshakes advertise it")
          .isEqualTo(TRANSLATED + ":" + port);
    }
  }

  @Test
  void aConfiguredExternalAddressIsNeverReplacedByObservations() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.observedAddressQuorum", "2",
          "p2p.maxPerIp", "16", "p2p.external", "127.0.0.5:7000")));
      connect(nodes, "a", "127.0.0.1:9001").report(TRANSLATED);
      connect(nodes, "a", "127.0.0.1:9002").report(TRANSLATED);
      connect(nodes, "a", "127.0.0.1:9003").report(TRANSLATED);
      assertThat(nodes.status("a").getString("external")).isEqualTo("127.0.0.5:7000");
      assertThat(nodes.status("a").getString("externalSource")).isEqualTo("config");
    }
  }
}
