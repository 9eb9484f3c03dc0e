package network.canopy.p2p.sim;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.ConfigSource;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.gossip.GossipId;
import network.canopy.p2p.node.NodeVerticle;
import network.canopy.p2p.node.VertxBootstrap;

/**
 * Real nodes in one JVM and one Vert.x, with real loopback connections along the edges of a {@link
 * SimGraph}: each edge is a must-connect entry of its higher-numbered end, so links come back by
 * themselves after a node restarts. Every node's application is a counting consumer of the gossip
 * topic, recording into a {@link DeliveryLog}. Methods block the calling thread: call them from a
 * test or main thread, never from an event loop.
 */
public final class SimNetwork implements AutoCloseable {

  private static final long TIMEOUT_S = 30;

  /**
   * One simulated node: fixed prefix, data dir (so a restart keeps its id) and, once bound, port.
   */
  private static final class SimNode {
    final String prefix;
    final Path dataDir;
    String id;
    String listen = "127.0.0.1:0";
    String deployment;
    NodeVerticle verticle;
    final Map<String, String> overrides = new LinkedHashMap<>();

    SimNode(String prefix, Path dataDir) {
      this.prefix = prefix;
      this.dataDir = dataDir;
    }
  }

  private final PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
  private final Vertx vertx = VertxBootstrap.create(registry);
  private final SimGraph graph;
  private final String topic;
  private final Map<String, String> overrides;
  private final SimNode[] nodes;
  private final DeliveryLog log;
  private final MessageConsumer<?>[] apps;

  /**
   * @param overrides config keys set on every node (on top of loopback addresses and limits)
   */
  public SimNetwork(SimGraph graph, Path root, String topic, Map<String, String> overrides) {
    this.graph = graph;
    this.topic = topic;
    this.overrides = Map.copyOf(overrides);
    this.nodes = new SimNode[graph.size()];
    this.log = new DeliveryLog(graph.size());
    this.apps = new MessageConsumer<?>[graph.size()];
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = new SimNode("sim" + i, root.resolve("n" + i));
      int node = i;
      apps[i] =
          vertx
              .eventBus()
              .<Buffer>consumer(
                  new Addresses(nodes[i].prefix).topic(topic),
                  msg -> log.delivered(node, msg.headers().get(Addresses.HEADER_MSG_ID)));
    }
  }

  /**
   * Sets a config key on one node only (on top of the network-wide overrides); call before start.
   */
  public void override(int node, String key, String value) {
    nodes[node].overrides.put(key, value);
  }

  /** Starts every node, wires the edges and waits until every link is up. */
  public void start() throws Exception {
    List<Future<?>> started = new ArrayList<>();
    for (int i = 0; i < nodes.length; i++) {
      started.add(deploy(i));
    }
    await(Future.all(started));
    for (int i = 0; i < nodes.length; i++) {
      await(wire(i));
    }
    awaitLinks(allNodes(), TIMEOUT_S);
  }

  /** Broadcasts {@code payload} from {@code node}; returns the message id once the node took it. */
  public String broadcast(int node, Buffer payload) throws Exception {
    String id = GossipId.of(topic, payload).hex();
    log.sent(id, node);
    DeliveryOptions options = new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, topic);
    String reply =
        await(vertx.eventBus().<String>request(addresses(node).broadcast(), payload, options))
            .body();
    if (!reply.equals(id)) {
      throw new IllegalStateException("node " + node + " named message " + id + " as " + reply);
    }
    return id;
  }

  /** Stops a node the way the run command does (goodbyes first). */
  public void kill(int node) throws Exception {
    SimNode n = nodes[node];
    await(n.verticle.shutdown().compose(v -> vertx.undeploy(n.deployment)));
    n.deployment = null;
  }

  /** Starts a killed node again, same id and port; its links come back as both ends redial. */
  public void restart(int node) throws Exception {
    await(deploy(node).compose(v -> wire(node)));
  }

  /**
   * Makes a node's application stop taking messages (its consumer pauses), so the node holds the
   * topic back and stops reading: to its neighbours it becomes a slow peer.
   */
  public void stallApplication(int node) {
    apps[node].pause();
  }

  public void resumeApplication(int node) {
    apps[node].resume();
  }

  public boolean alive(int node) {
    return nodes[node].deployment != null;
  }

  public BitSet aliveNodes() {
    BitSet out = new BitSet();
    for (int i = 0; i < nodes.length; i++) {
      if (alive(i)) {
        out.set(i);
      }
    }
    return out;
  }

  /**
   * Waits until every node of {@code which} has exactly its live neighbours as peers, polling.
   * Returns false on timeout.
   */
  public boolean awaitLinks(BitSet which, long timeoutSeconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (linksUp(which)) {
        return true;
      }
      Thread.sleep(50); // polling a condition with a deadline, not waiting for luck
    }
    return false;
  }

  private boolean linksUp(BitSet which) throws Exception {
    for (int i = which.nextSetBit(0); i >= 0; i = which.nextSetBit(i + 1)) {
      long expected = java.util.Arrays.stream(graph.neighbours(i)).filter(this::alive).count();
      JsonArray peers =
          await(vertx.eventBus().<JsonArray>request(addresses(i).peers(), null)).body();
      if (peers.size() != expected) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sum over all nodes of a gossip counter ({@code received}, {@code duplicate}, ...) of the topic.
   */
  public double gossipCount(String event) {
    return registry
            .find("p2p.gossip.messages")
            .tag("topic", topic)
            .tag("event", event)
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum()
        + registry
            .find("p2p.gossip.messages")
            .tag("topic", topic)
            .tag("event", event)
            .functionCounters()
            .stream()
            .mapToDouble(c -> c.count())
            .sum();
  }

  /**
   * Sum over all nodes of lazy-push control sent on the topic: {@code ihave}, {@code graft} ids,
   * {@code prune}s.
   */
  public double lazySent(String kind) {
    return registry
        .find("p2p.gossip.lazy")
        .tag("topic", topic)
        .tag("kind", kind)
        .tag("direction", "out")
        .counters()
        .stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  public SimGraph graph() {
    return graph;
  }

  public DeliveryLog log() {
    return log;
  }

  public Vertx vertx() {
    return vertx;
  }

  public String id(int node) {
    return nodes[node].id;
  }

  public Addresses addresses(int node) {
    return new Addresses(nodes[node].prefix);
  }

  private BitSet allNodes() {
    BitSet all = new BitSet();
    all.set(0, nodes.length);
    return all;
  }

  private Future<Void> deploy(int node) {
    SimNode n = nodes[node];
    Map<String, String> config = new LinkedHashMap<>();
    config.put("dataDir", n.dataDir.toString());
    config.put("p2p.listen", n.listen);
    config.put("admin.listen", "127.0.0.1:0");
    config.put("eventBus.prefix", n.prefix);
    config.put("p2p.maxPerIp", "100000"); // every peer comes from 127.0.0.1
    config.put("p2p.maxInbound", "1000");
    config.put("p2p.maxOutbound", "1000");
    config.put(
        "p2p.discovery", "false"); // the graph is the experiment: no links from the peer book
    config.putAll(overrides);
    config.putAll(n.overrides);
    Path noFile = n.dataDir.resolve("no-config.yaml");
    return ConfigLoader.load(vertx, new ConfigSource(noFile, false, Map.of(), config))
        .compose(this::deploy)
        .compose(
            v -> {
              n.verticle = v.verticle();
              n.deployment = v.deployment();
              return vertx.eventBus().<JsonObject>request(addresses(node).nodeStatus(), null);
            })
        .map(
            status -> {
              n.id = status.body().getString("id");
              n.listen = status.body().getString("listen");
              return null;
            });
  }

  private record Deployed(NodeVerticle verticle, String deployment) {}

  private Future<Deployed> deploy(NodeConfig config) {
    NodeVerticle verticle = new NodeVerticle(config, registry);
    return vertx.deployVerticle(verticle).map(id -> new Deployed(verticle, id));
  }

  /**
   * The node keeps its lower-numbered neighbours connected (must-connect: redialled, no limits).
   */
  private Future<?> wire(int node) {
    JsonArray lower = new JsonArray();
    for (int m : graph.neighbours(node)) {
      if (m < node) {
        lower.add(nodes[m].id + "@" + nodes[m].listen);
      }
    }
    return vertx.eventBus().request(addresses(node).mustConnect(), lower);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws ExecutionException, TimeoutException {
    List<Future<?>> stopping = new ArrayList<>();
    for (SimNode n : nodes) {
      if (n.deployment != null) {
        stopping.add(n.verticle.shutdown());
      }
    }
    try {
      awaitClosing(Future.join(stopping));
    } finally {
      awaitClosing(vertx.close());
    }
  }

  /**
   * Waits for a step of {@link #close} even if this thread is interrupted (the interrupt is kept):
   * a half-closed network would leak its Vert.x, and close() need not declare InterruptedException.
   */
  private static void awaitClosing(Future<?> step) throws ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          step.toCompletionStage()
              .toCompletableFuture()
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
