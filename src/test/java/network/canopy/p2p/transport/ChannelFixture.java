package network.canopy.p2p.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeError;
import network.canopy.p2p.wire.HandshakeFailure;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.TopicInfo;

/** Loopback servers, clients and credentials for the secure-channel tests. */
final class ChannelFixture implements AutoCloseable {

  static final SecureRandom RANDOM = new SecureRandom();

  final Vertx vertx = Vertx.vertx();
  private final NetClient client = vertx.createNetClient();

  static HandshakeCredentials credentials(String network) {
    return credentials(NodeIdentity.generate(RANDOM), network);
  }

  static HandshakeCredentials credentials(NodeIdentity identity, String network) {
    NodeMetadata metadata =
        new NodeMetadata(
            1,
            network,
            7,
            "127.0.0.1:9001",
            List.of(
                new TopicInfo(1, "consensus", true, 4 << 20),
                new TopicInfo(2, "block", true, 64 << 20)));
    return HandshakeCredentials.create(identity, metadata, RANDOM);
  }

  /** A listener answering every connection with the responder handshake; outcomes queue up. */
  Listener listen(HandshakeCredentials credentials, long timeoutMs) throws Exception {
    return listen(credentials, timeoutMs, MemoryBudget.unlimited());
  }

  /** As above, buffering handshakes within {@code budget}. */
  Listener listen(HandshakeCredentials credentials, long timeoutMs, MemoryBudget budget)
      throws Exception {
    Listener listener = new Listener();
    NetServer server =
        vertx
            .createNetServer()
            .connectHandler(
                socket ->
                    SocketHandshake.respond(vertx, socket, credentials, timeoutMs, budget)
                        .map(Peer::started)
                        .onComplete(
                            ar ->
                                listener.outcomes.add(ar.succeeded() ? ar.result() : ar.cause())));
    listener.port = await(server.listen(0, "127.0.0.1")).actualPort();
    return listener;
  }

  Future<NetSocket> connect(int port) {
    return client.connect(port, "127.0.0.1");
  }

  Future<Peer> dial(int port, HandshakeCredentials credentials, String expectedId, long timeoutMs) {
    return connect(port)
        .compose(
            socket -> SocketHandshake.initiate(vertx, socket, credentials, expectedId, timeoutMs))
        .map(Peer::started);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** A started connection with its inbox; calls hop onto the connection's own context. */
  static final class Peer {
    final EncryptedConn conn;
    final Inbox inbox = new Inbox();
    private final Context context;

    private Peer(EncryptedConn conn) {
      this.conn = conn;
      this.context = Vertx.currentContext();
      conn.start(inbox);
    }

    /** Must run on the connection's context: the handshake's completion callback does. */
    static Peer started(EncryptedConn conn) {
      return new Peer(conn);
    }

    void send(byte[] plaintext) {
      context.runOnContext(v -> conn.send(plaintext));
    }

    void close() {
      context.runOnContext(v -> conn.close(CloseReason.LOCAL, "test"));
    }
  }

  @Override
  public void close() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  /** Outcomes of the responder handshakes of one listener: an EncryptedConn or a Throwable. */
  static final class Listener {
    final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    int port;

    /** The next accepted peer; fails the test if that handshake was refused. */
    Peer nextPeer() throws InterruptedException {
      Object outcome = next();
      if (outcome instanceof Peer peer) {
        return peer;
      }
      throw new AssertionError("handshake refused", (Throwable) outcome);
    }

    /** The reason of the next refused handshake; fails the test if it succeeded. */
    HandshakeError nextRefusal() throws InterruptedException {
      Object outcome = next();
      if (outcome instanceof HandshakeFailure failure) {
        return failure.reason();
      }
      throw new AssertionError("expected a refused handshake, got " + outcome);
    }

    Object next() throws InterruptedException {
      Object outcome = outcomes.poll(10, TimeUnit.SECONDS);
      if (outcome == null) {
        throw new AssertionError("no handshake outcome within 10 s");
      }
      return outcome;
    }
  }

  /**
   * What an EncryptedConn delivered: frame plaintexts (copied) and, at the end, its close reason.
   */
  static final class Inbox implements EncryptedConn.Listener {
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseReason> closed = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(byte[] plaintext, int offset, int length) {
      byte[] copy = new byte[length];
      System.arraycopy(plaintext, offset, copy, 0, length);
      frames.add(copy);
    }

    @Override
    public void onClosed(CloseReason reason, String detail) {
      closed.add(reason);
    }

    byte[] nextFrame() throws InterruptedException {
      byte[] frame = frames.poll(10, TimeUnit.SECONDS);
      if (frame == null) {
        throw new AssertionError("no frame within 10 s");
      }
      return frame;
    }

    CloseReason awaitClose() throws InterruptedException {
      CloseReason reason = closed.poll(10, TimeUnit.SECONDS);
      if (reason == null) {
        throw new AssertionError("connection not closed within 10 s");
      }
      return reason;
    }
  }
}
