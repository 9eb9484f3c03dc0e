package network.canopy.p2p.testing;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.TopicSpec;
import network.canopy.p2p.crypto.CipherState;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.SecureSession;
import network.canopy.p2p.wire.TopicInfo;

/**
 * Authenticated connections without a socket, for unit tests of what sits above conn: a real
 * EncryptedConn (and MultiConn) over a NetSocket stand-in that accepts every write and never
 * receives. The remote announces the node's topics, so sends are judged as with a real peer.
 */
public final class SocketlessConns {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Vertx vertx;
  private final NodeConfig config;
  private final Context context;

  public SocketlessConns(Vertx vertx, NodeConfig config) {
    this.vertx = vertx;
    this.config = config;
    this.context = vertx.getOrCreateContext();
  }

  /** A random node id (64 hex characters). */
  public static String randomId() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /**
   * An unstarted connection to {@code remoteId}, coming from (or dialled at) {@code ip}:{@code
   * port}.
   */
  public EncryptedConn conn(String remoteId, boolean outbound, String ip, int port) {
    List<TopicInfo> topics =
        config.topics().stream()
            .map(t -> new TopicInfo(t.id(), t.name(), t.gossip(), t.maxMessageSize()))
            .toList();
    NodeMetadata remote =
        new NodeMetadata(2, config.network(), config.chainId(), ip + ":" + port, topics, Set.of());
    SecureSession session =
        new SecureSession(
            remoteId,
            remote,
            Set.of(),
            new CipherState(key()),
            new CipherState(key()),
            new byte[32]);
    NetSocket socket = socket(address(ip, port));
    CompletableFuture<EncryptedConn> built = new CompletableFuture<>();
    context.runOnContext(
        v -> built.complete(new EncryptedConn(socket, session, outbound, new byte[0])));
    try {
      return built.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("could not build a connection", e);
    }
  }

  /**
   * Starts {@code conn} as a MultiConn with the node's topics and a heartbeat slow enough never to
   * time out during a test (the stand-in never answers a ping).
   */
  public MultiConn start(EncryptedConn conn, MultiConn.Listener listener) {
    List<TopicSpec> topics =
        config.topics().stream()
            .map(
                t ->
                    new TopicSpec(
                        t.id(), t.name(), t.priority(), t.maxMessageSize(), 4L << 20, 4L << 20))
            .toList();
    ConnSettings settings = ConnSettings.of(topics).withHeartbeat(600_000, 1_200_000);
    return MultiConn.start(vertx, conn, settings, listener);
  }

  private static byte[] key() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private static SocketAddress address(String ip, int port) {
    try {
      return SocketAddress.inetSocketAddress(
          new InetSocketAddress(InetAddress.getByName(ip), port));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  /** Handlers are accepted and ignored, writes and close succeed at once, the rest is a no-op. */
  private static NetSocket socket(SocketAddress remote) {
    return (NetSocket)
        Proxy.newProxyInstance(
            NetSocket.class.getClassLoader(),
            new Class<?>[] {NetSocket.class},
            (proxy, method, args) -> {
              Class<?> type = method.getReturnType();
              return switch (method.getName()) {
                case "remoteAddress" -> remote;
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "socketless " + remote;
                default -> {
                  if (type.isInstance(proxy)) {
                    yield proxy; // fluent setters: handler, pause, resume, ...
                  } else if (type == Future.class) {
                    yield Future.succeededFuture();
                  } else if (type == boolean.class) {
                    yield false;
                  } else if (type == int.class || type == long.class) {
                    yield type == int.class ? (Object) 0 : (Object) 0L;
                  } else if (type == Buffer.class) {
                    yield Buffer.buffer();
                  }
                  yield null;
                }
              };
            });
  }
}
