package network.canopy.p2p.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.ConfigSource;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.crypto.NodeKeyFile;
import network.canopy.p2p.node.NodeVerticle;

/**
 * The node under test: two {@link NodeVerticle}s in the bench's Vert.x instance, each with its own
 * temporary data dir, loopback ports and event-bus prefix, configured like any user would (the
 * default topics, with gossip off). A listens; B keeps A connected through {@code p2p.dial}.
 */
final class P2pNodes {

  private static final long TIMEOUT_MS = 30_000;

  /**
   * System property: {@code p2p.socketBufferBytes} for both nodes (default: the node's default, the
   * OS's autotuning), to measure what bounding the kernel buffers does to {@code mixed-priority}.
   */
  static final String SOCKET_BUFFER_PROPERTY = "canopy.bench.socketBufferBytes";

  /**
   * The default topic table with gossip off: these figures measure one connection, and their
   * senders repeat one payload, which a gossip topic would rightly deliver once (same message id).
   */
  private static final String POINT_TO_POINT_TOPICS =
      "["
          + "{\"name\":\"consensus\",\"id\":1,\"priority\":8,\"gossip\":false,\"maxMessageSize\":4194304},"
          + "{\"name\":\"block\",\"id\":2,\"priority\":2,\"gossip\":false,\"maxMessageSize\":67108864},"
          + "{\"name\":\"block_request\",\"id\":3,\"priority\":4,\"gossip\":false,\"maxMessageSize\":1048576},"
          + "{\"name\":\"tx\",\"id\":4,\"priority\":1,\"gossip\":false,\"maxMessageSize\":1048576}]";

  final NodeAddresses a = new NodeAddresses("bench-a");
  final NodeAddresses b = new NodeAddresses("bench-b");
  private final Vertx vertx;
  private final Path root;
  private String idA;
  private String idB;
  private NodeVerticle nodeA;
  private NodeVerticle nodeB;
  private String deploymentA;
  private String deploymentB;

  private P2pNodes(Vertx vertx, Path root) {
    this.vertx = vertx;
    this.root = root;
  }

  /** Deploys both nodes; whether they connect is for the caller to find out. */
  static P2pNodes start(Vertx vertx, MeterRegistry registry) throws Exception {
    P2pNodes nodes = new P2pNodes(vertx, Files.createTempDirectory("canopy-bench-"));
    try {
      nodes.deploy(registry);
      return nodes;
    } catch (Exception e) {
      nodes.close();
      throw e;
    }
  }

  private void deploy(MeterRegistry registry) throws Exception {
    Path dirA = root.resolve("a");
    Path dirB = root.resolve("b");
    idA = NodeKeyFile.create(dirA).id();
    idB = NodeKeyFile.create(dirB).id();
    // A free port chosen up front, so B's dial address is known before A starts.
    int portA = freePort();
    NodeConfig configA = config(dirA, a, "127.0.0.1:" + portA, Map.of());
    NodeConfig configB =
        config(dirB, b, "127.0.0.1:0", Map.of("p2p.dial", idA + "@127.0.0.1:" + portA));
    nodeA = new NodeVerticle(configA, registry);
    deploymentA = Await.of(vertx.deployVerticle(nodeA), TIMEOUT_MS);
    nodeB = new NodeVerticle(configB, registry);
    deploymentB = Await.of(vertx.deployVerticle(nodeB), TIMEOUT_MS);
  }

  private NodeConfig config(
      Path dataDir, NodeAddresses prefix, String listen, Map<String, String> extra)
      throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("dataDir", dataDir.toString());
    overrides.put("p2p.listen", listen);
    overrides.put("admin.listen", "127.0.0.1:0");
    overrides.put("eventBus.prefix", prefix.prefix());
    overrides.put("topics", POINT_TO_POINT_TOPICS);
    overrides.putAll(extra);
    String socketBuffer = System.getProperty(SOCKET_BUFFER_PROPERTY);
    if (socketBuffer != null) {
      overrides.put("p2p.socketBufferBytes", socketBuffer);
    }
    // A config file that does not exist (and was not asked for) means "defaults"; no environment.
    Path noFile = dataDir.resolve("no-config.yaml");
    return Await.of(
        ConfigLoader.load(vertx, new ConfigSource(noFile, false, Map.of(), overrides)), TIMEOUT_MS);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String idA() {
    return idA;
  }

  String idB() {
    return idB;
  }

  /** Stops B then A the way the node stops itself, then removes the data dirs. */
  void close() throws Exception {
    stop(nodeB, deploymentB);
    stop(nodeA, deploymentA);
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  private void stop(NodeVerticle node, String deployment) throws Exception {
    if (node != null && deployment != null) {
      Await.of(node.shutdown(), TIMEOUT_MS);
      Await.of(vertx.undeploy(deployment), TIMEOUT_MS);
    }
  }
}
