package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.TopicSpec;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.TopicInfo;

/**
 * The peers of {@code idle-peers}, in their own JVM so they do not count in the node's heap: N
 * identities, each dialling the node and keeping one idle MultiConn (heartbeats only), default
 * topics and capabilities. Prints {@code connected N} once all are up; runs until killed.
 */
public final class IdlePeerClients {

  private static final int IN_FLIGHT = 16;
  private static final List<TopicSpec> TOPICS =
      List.of(
          new TopicSpec(1, "consensus", 8, 4 << 20, 8 << 20, 16 << 20),
          new TopicSpec(2, "block", 2, 64 << 20, 16 << 20, 16 << 20),
          new TopicSpec(3, "block_request", 4, 1 << 20, 2 << 20, 16 << 20),
          new TopicSpec(4, "tx", 1, 1 << 20, 2 << 20, 16 << 20));

  private IdlePeerClients() {}

  /** Starts the clients' JVM with this JVM's class path. */
  static Process launch(String nodeId, String address, int count) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-Xmx1g",
            "-cp",
            System.getProperty("java.class.path"),
            "-Dlogback.configurationFile=src/jmh/resources/logback-bench.xml",
            IdlePeerClients.class.getName(),
            nodeId,
            address,
            String.valueOf(count))
        .inheritIO()
        .start();
  }

  public static void main(String[] args) throws Exception {
    String nodeId = args[0];
    HostPort node = HostPort.parse(args[1]);
    int count = Integer.parseInt(args[2]);
    Vertx vertx = Vertx.vertx();
    NetClient client = vertx.createNetClient();
    SecureRandom random = new SecureRandom();
    List<TopicInfo> table = TOPICS.stream().map(t -> t.toTopicInfo(t.id() != 3)).toList();
    ConnSettings settings = ConnSettings.of(TOPICS).withHeartbeat(1_000, 30_000);
    List<MultiConn> conns = new ArrayList<>();
    AtomicInteger failures = new AtomicInteger();
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      NodeMetadata metadata =
          new NodeMetadata(
              HandshakeCredentials.MAX_VERSION,
              "canopy-local",
              1,
              "",
              table,
              Set.of(Capability.WINDOW));
      HandshakeCredentials credentials =
          HandshakeCredentials.create(NodeIdentity.generate(random), metadata, random);
      Future<MultiConn> dialled =
          client
              .connect(node.port(), node.host())
              .compose(
                  socket -> SocketHandshake.initiate(vertx, socket, credentials, nodeId, 30_000))
              .map(conn -> MultiConn.start(vertx, conn, settings, new Idle()));
      dialled.onComplete(
          ar -> {
            inFlight.release();
            if (ar.succeeded()) {
              synchronized (conns) {
                conns.add(ar.result());
              }
            } else if (failures.incrementAndGet() <= 3) {
              System.out.println("idle-peers client: dial failed: " + ar.cause());
            }
          });
    }
    inFlight.acquire(IN_FLIGHT);
    System.out.println("connected " + conns.size() + " (" + failures.get() + " failed)");
    Thread.sleep(Long.MAX_VALUE);
  }

  /** Takes every message, says nothing. */
  private static final class Idle implements MultiConn.Listener {
    @Override
    public boolean onMessage(int topicId, Buffer payload) {
      return true;
    }

    @Override
    public void onClosed(CloseReason reason, String detail) {
      System.out.println("idle-peers client: closed " + reason + " " + detail);
    }
  }
}
