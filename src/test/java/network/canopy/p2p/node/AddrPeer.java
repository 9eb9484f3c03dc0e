package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
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

/**
 * A test peer written from docs/PROTOCOL.md §17: an authenticated connection announcing addr/1 that
 * advertises {@code listen}, sends what a test tells it, and queues what the node tells it.
 */
record AddrPeer(
    NodeIdentity identity,
    MultiConn conn,
    BlockingQueue<ControlMessage.ObservedAddress> observed,
    BlockingQueue<PeerExchangeMessage> exchange) {

  /** Dials node {@code prefix} as a fresh identity advertising {@code listen}. */
  static AddrPeer connect(NetClient client, TestNodes nodes, String prefix, String listen)
      throws Exception {
    NodeIdentity identity = NodeIdentity.generate(new SecureRandom());
    HandshakeCredentials who =
        HandshakeCredentials.create(
            identity,
            new NodeMetadata(2, "canopy-local", 1, listen, List.of(), Set.of(Capability.ADDR)),
            new SecureRandom());
    int port = Integer.parseInt(nodes.listenAddress(prefix).split(":")[1]);
    String nodeId = nodes.id(prefix);
    EncryptedConn conn =
        await(
            client
                .connect(port, "127.0.0.1")
                .compose(
                    socket -> SocketHandshake.initiate(nodes.vertx, socket, who, nodeId, 5_000)));
    BlockingQueue<ControlMessage.ObservedAddress> observed = new LinkedBlockingQueue<>();
    BlockingQueue<PeerExchangeMessage> exchange = new LinkedBlockingQueue<>();
    Promise<MultiConn> started = Promise.promise();
    conn.context()
        .runOnContext(
            v ->
                started.complete(
                    MultiConn.start(
                        nodes.vertx,
                        conn,
                        ConnSettings.of(List.of()),
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
                          public void onClosed(CloseReason r, String detail) {}
                        })));
    return new AddrPeer(identity, await(started.future()), observed, exchange);
  }

  void send(PeerExchangeMessage message) {
    conn.send(PacketFormat.PEER_EXCHANGE_TOPIC, Buffer.buffer(message.encode()));
  }

  /**
   * Says the node is seen at {@code ip}, then asks for addresses: the answer means the report was
   * counted.
   */
  void report(String ip) throws Exception {
    conn.tellObservedAddress(
        new ControlMessage.ObservedAddress(InetAddress.getByName(ip).getAddress(), 40000));
    askAndAwaitAnswer();
  }

  /**
   * Sends a REQUEST and waits for the SIGNED_RESPONSE: the node handles a peer's topic-255 messages
   * in order, so everything sent before has been handled then.
   */
  void askAndAwaitAnswer() throws Exception {
    send(new PeerExchangeMessage.Request(8));
    PeerExchangeMessage answer;
    do {
      answer = exchange.poll(10, TimeUnit.SECONDS);
      assertThat(answer).as("an answer to the request").isNotNull();
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
