package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.util.List;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.TopicInfo;

/**
 * What one handshake is, for the handshake-rate figure: the node's Noise handshake over a plain
 * socket ({@link SocketHandshake}), or a full TLS 1.3 handshake done by Vert.x before it hands over
 * the socket.
 */
interface HandshakeKind {

  long TIMEOUT_MS = 10_000;

  NetServerOptions serverOptions();

  NetClientOptions clientOptions();

  /** Server side, once accepted: completes when this side has finished the handshake. */
  Future<Void> respond(Vertx vertx, NetSocket socket);

  /** Client side, once connected. */
  Future<Void> initiate(Vertx vertx, NetSocket socket);

  /** Vert.x completes the TLS handshake before the socket reaches either side's code. */
  static HandshakeKind tls(SelfSignedTls tls) {
    return new HandshakeKind() {
      @Override
      public NetServerOptions serverOptions() {
        return tls.serverOptions();
      }

      @Override
      public NetClientOptions clientOptions() {
        return tls.clientOptions();
      }

      @Override
      public Future<Void> respond(Vertx vertx, NetSocket socket) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> initiate(Vertx vertx, NetSocket socket) {
        return Future.succeededFuture();
      }
    };
  }

  /** Noise XX with the node's credentials; the client checks the server's id, as a dial does. */
  static HandshakeKind noise() {
    SecureRandom random = new SecureRandom();
    HandshakeCredentials server = credentials(random);
    HandshakeCredentials client = credentials(random);
    return new HandshakeKind() {
      @Override
      public NetServerOptions serverOptions() {
        return new NetServerOptions();
      }

      @Override
      public NetClientOptions clientOptions() {
        return new NetClientOptions();
      }

      @Override
      public Future<Void> respond(Vertx vertx, NetSocket socket) {
        return SocketHandshake.respond(vertx, socket, server, TIMEOUT_MS).map(HandshakeKind::close);
      }

      @Override
      public Future<Void> initiate(Vertx vertx, NetSocket socket) {
        return SocketHandshake.initiate(vertx, socket, client, server.nodeId(), TIMEOUT_MS)
            .map(HandshakeKind::close);
      }
    };
  }

  private static Void close(EncryptedConn conn) {
    conn.close(CloseReason.LOCAL, "bench");
    return null;
  }

  /** A fresh identity presenting the default topic table, as a node would. */
  private static HandshakeCredentials credentials(SecureRandom random) {
    NodeMetadata metadata =
        new NodeMetadata(
            HandshakeCredentials.MAX_VERSION,
            "canopy-local",
            1,
            "127.0.0.1:9001",
            List.of(
                new TopicInfo(1, "consensus", true, 4L << 20),
                new TopicInfo(2, "block", true, 64L << 20),
                new TopicInfo(3, "block_request", false, 1L << 20),
                new TopicInfo(4, "tx", true, 1L << 20)));
    return HandshakeCredentials.create(NodeIdentity.generate(random), metadata, random);
  }
}
