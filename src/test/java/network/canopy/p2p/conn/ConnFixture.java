package network.canopy.p2p.conn;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.TopicInfo;

/**
 * Real loopback connections for the MultiConn tests: two nodes handshake with SocketHandshake and
 * each side's EncryptedConn comes back unstarted, to wrap in a MultiConn or drive by hand.
 */
final class ConnFixture implements AutoCloseable {
  static final SecureRandom RANDOM = new SecureRandom();
  static final String NETWORK = "canopy-test";
  static final long TIMEOUT_S = 20;

  final Vertx vertx = Vertx.vertx();

  /** Held so they stay reachable: Vert.x closes a garbage-collected client with its connections. */
  private final List<Object> keepAlive = new java.util.ArrayList<>();

  /** A dialer's and an acceptor's connection to each other. */
  record Conns(EncryptedConn dialer, EncryptedConn acceptor) {}

  /** Two MultiConns over one connection, with what each delivered. */
  record Pair(MultiConn dialer, Recorder dialerSeen, MultiConn acceptor, Recorder acceptorSeen) {}

  /** Credentials announcing {@code settings}' topics (peer exchange is never announced). */
  static HandshakeCredentials credentials(ConnSettings settings) {
    return credentials(settings, Set.of());
  }

  /**
   * Credentials announcing {@code settings}' topics and {@code capabilities} (version 2 metadata).
   */
  static HandshakeCredentials credentials(ConnSettings settings, Set<String> capabilities) {
    List<TopicInfo> table =
        settings.topics().stream()
            .filter(t -> t.id() != PacketFormat.PEER_EXCHANGE_TOPIC)
            .map(t -> t.toTopicInfo(false))
            .toList();
    NodeMetadata metadata =
        capabilities.isEmpty()
            ? new NodeMetadata(1, NETWORK, 7, "127.0.0.1:9001", table)
            : new NodeMetadata(2, NETWORK, 7, "127.0.0.1:9001", table, capabilities);
    return HandshakeCredentials.create(NodeIdentity.generate(RANDOM), metadata, RANDOM);
  }

  Conns connect(HandshakeCredentials dialer, HandshakeCredentials acceptor) throws Exception {
    return connect(dialer, acceptor, new NetServerOptions(), new NetClientOptions());
  }

  /**
   * Handshakes over loopback; both connections are returned unstarted (what arrives waits for
   * start).
   */
  Conns connect(
      HandshakeCredentials dialer,
      HandshakeCredentials acceptor,
      NetServerOptions serverOptions,
      NetClientOptions clientOptions)
      throws Exception {
    CompletableFuture<EncryptedConn> accepted = new CompletableFuture<>();
    NetServer server =
        vertx
            .createNetServer(serverOptions)
            .connectHandler(
                socket ->
                    SocketHandshake.respond(vertx, socket, acceptor, 5_000)
                        .onComplete(
                            ar ->
                                complete(
                                    accepted, ar.succeeded() ? ar.result() : null, ar.cause())));
    // Listen and dial from two contexts, so the two ends live on different event loops, as two
    // nodes would, rather than sharing one thread.
    // (getOrCreateContext would return the test thread's one sticky context for both.)
    Context serverContext = ((VertxInternal) vertx).createEventLoopContext();
    Context clientContext = ((VertxInternal) vertx).createEventLoopContext();
    int port = await(on(serverContext, () -> server.listen(0, "127.0.0.1"))).actualPort();
    NetClient client = vertx.createNetClient(clientOptions);
    keepAlive.add(server);
    keepAlive.add(client);
    EncryptedConn dialed =
        await(
            on(
                clientContext,
                () ->
                    client
                        .connect(port, "127.0.0.1")
                        .compose(
                            socket ->
                                SocketHandshake.initiate(
                                    vertx, socket, dialer, acceptor.nodeId(), 5_000))));
    return new Conns(dialed, accepted.get(TIMEOUT_S, TimeUnit.SECONDS));
  }

  Pair pair(ConnSettings dialerSettings, ConnSettings acceptorSettings) throws Exception {
    return pair(dialerSettings, acceptorSettings, new NetServerOptions(), new NetClientOptions());
  }

  Pair pair(
      ConnSettings dialerSettings,
      ConnSettings acceptorSettings,
      NetServerOptions serverOptions,
      NetClientOptions clientOptions)
      throws Exception {
    return pair(
        connect(
            credentials(dialerSettings),
            credentials(acceptorSettings),
            serverOptions,
            clientOptions),
        dialerSettings,
        acceptorSettings);
  }

  /** Both ends announce {@code capabilities}. */
  Pair pair(ConnSettings dialerSettings, ConnSettings acceptorSettings, Set<String> capabilities)
      throws Exception {
    return pair(
        connect(
            credentials(dialerSettings, capabilities), credentials(acceptorSettings, capabilities)),
        dialerSettings,
        acceptorSettings);
  }

  private Pair pair(Conns conns, ConnSettings dialerSettings, ConnSettings acceptorSettings) {
    Recorder dialerSeen = new Recorder();
    Recorder acceptorSeen = new Recorder();
    MultiConn dialer = MultiConn.start(vertx, conns.dialer(), dialerSettings, dialerSeen);
    MultiConn acceptor = MultiConn.start(vertx, conns.acceptor(), acceptorSettings, acceptorSeen);
    dialerSeen.attach(dialer);
    acceptorSeen.attach(acceptor);
    return new Pair(dialer, dialerSeen, acceptor, acceptorSeen);
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  private static <T> Future<T> on(Context context, java.util.function.Supplier<Future<T>> action) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
    if (error != null) {
      f.completeExceptionally(error);
    } else {
      f.complete(value);
    }
  }

  @Override
  public void close() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(TIMEOUT_S));
  }
}
