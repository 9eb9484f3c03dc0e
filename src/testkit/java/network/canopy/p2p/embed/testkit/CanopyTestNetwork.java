package network.canopy.p2p.embed.testkit;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import network.canopy.p2p.embed.CanopyNode;
import network.canopy.p2p.embed.NodeHandle;
import network.canopy.p2p.embed.NodeOptions;

/**
 * Test kit: N real nodes in one Vert.x, on loopback with free ports and temporary data dirs, every
 * pair linked (a full mesh). Links can be cut and restored, nodes stopped and restarted (same id,
 * same port). Methods block: call them from the test thread, never from an event loop.
 */
public final class CanopyTestNetwork implements AutoCloseable {

  /** How long a blocking step (start, stop, a request) or {@link #awaitConnected()} may take. */
  public static final long TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final MeterRegistry registry;
  private final Path root;
  private final Map<String, String> settings;
  private final NodeHandle[] handles;
  private final String[] ids;
  private final String[] listen;
  private final boolean[][] linked;

  private CanopyTestNetwork(
      Vertx vertx, int size, Map<String, String> settings, MeterRegistry registry)
      throws IOException {
    this.vertx = vertx;
    this.registry = registry;
    this.root = Files.createTempDirectory("canopy-testkit");
    this.settings = new LinkedHashMap<>(settings);
    this.handles = new NodeHandle[size];
    this.ids = new String[size];
    this.listen = new String[size];
    this.linked = new boolean[size][size];
    for (int a = 0; a < size; a++) {
      for (int b = 0; b < size; b++) {
        linked[a][b] = a != b;
      }
    }
  }

  /**
   * Starts {@code size} nodes with default settings on {@code vertx} and waits until all are
   * connected.
   */
  public static CanopyTestNetwork start(Vertx vertx, int size) throws Exception {
    return start(vertx, size, Map.of());
  }

  /**
   * Starts {@code size} nodes on {@code vertx}, each with {@code settings} (config keys as for
   * {@code --set}, e.g. {@code topics}) on top of the kit's own, and waits until all are connected.
   * The kit's own: a network name of its own (never meets another test's nodes), loopback addresses
   * with free ports, no discovery (the links are the ones the kit makes), no per-IP limit; each
   * node's data dir, listen address and event-bus prefix cannot be overridden.
   */
  public static CanopyTestNetwork start(Vertx vertx, int size, Map<String, String> settings)
      throws Exception {
    return start(vertx, size, settings, null);
  }

  /**
   * As {@link #start(Vertx, int, Map)}, every node recording its metrics into {@code registry}
   * (null: a registry per node). Give it the registry {@code vertx} records into (see {@link
   * CanopyNode#vertxBuilder}) so nodes hold messages back for slow consumers.
   */
  public static CanopyTestNetwork start(
      Vertx vertx, int size, Map<String, String> settings, MeterRegistry registry)
      throws Exception {
    CanopyTestNetwork network =
        new CanopyTestNetwork(vertx, size, withKitDefaults(settings), registry);
    try {
      List<Future<NodeHandle>> started = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        started.add(network.deploy(i));
      }
      await(Future.all(started));
      for (int i = 0; i < size; i++) {
        network.wire(i);
      }
      network.awaitConnected();
      return network;
    } catch (Exception | AssertionError e) {
      network.close();
      throw e;
    }
  }

  private static Map<String, String> withKitDefaults(Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("network", "canopy-test-" + UUID.randomUUID());
    all.put("admin.listen", "127.0.0.1:0");
    all.put("p2p.discovery", "false");
    all.put("p2p.maxPerIp", "100000"); // every peer comes from 127.0.0.1
    all.put("p2p.maxInbound", "1000");
    all.put("p2p.maxOutbound", "1000");
    all.putAll(settings);
    return all;
  }

  public Vertx vertx() {
    return vertx;
  }

  public int size() {
    return handles.length;
  }

  /** The running node {@code i}'s handle (a new one after each restart). */
  public NodeHandle node(int i) {
    NodeHandle handle = handles[i];
    if (handle == null) {
      throw new IllegalStateException("node " + i + " is stopped");
    }
    return handle;
  }

  /**
   * The event-bus prefix of node {@code i}: {@code node<i>}, the same across restarts (so one
   * network per Vert.x instance).
   */
  public String prefix(int i) {
    return "node" + i;
  }

  /**
   * Node {@code i}'s data dir (node.key, peerbook.json), a temporary directory deleted by {@link
   * #close()}.
   */
  public Path dataDir(int i) {
    return root.resolve(prefix(i));
  }

  /** Node {@code i}'s id, the same across restarts (its key stays in its data dir). */
  public String id(int i) {
    return ids[i];
  }

  public boolean running(int i) {
    return handles[i] != null;
  }

  /**
   * Waits until every running node is connected to exactly its linked running neighbours.
   *
   * @throws AssertionError naming the nodes whose peers differ, after {@link #TIMEOUT_SECONDS}
   */
  public void awaitConnected() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    String wrong = connectionProblems();
    while (wrong != null) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("network not connected after " + TIMEOUT_SECONDS + " s: " + wrong);
      }
      Thread.sleep(50); // polls a condition under a deadline
      wrong = connectionProblems();
    }
  }

  /**
   * Cuts the link between nodes {@code a} and {@code b}: they disconnect and neither dials the
   * other.
   */
  public void cut(int a, int b) throws Exception {
    setLink(a, b, false);
    if (running(a) && running(b)) {
      await(
          node(a)
              .disconnect(ids[b])
              .recover(err -> Future.succeededFuture())); // 404: already apart
    }
  }

  /** Restores a cut link: the nodes dial each other again (see {@link #awaitConnected()}). */
  public void restore(int a, int b) throws Exception {
    setLink(a, b, true);
  }

  /** Stops node {@code i} as an operator would (goodbyes to its peers, peer book saved). */
  public void stop(int i) throws Exception {
    NodeHandle handle = node(i);
    handles[i] = null;
    await(handle.close());
  }

  /** Starts a stopped node again with the same id, data dir and port; its links come back. */
  public void restart(int i) throws Exception {
    if (running(i)) {
      throw new IllegalStateException("node " + i + " is running");
    }
    await(deploy(i));
    wire(i);
    for (int j = 0; j < size(); j++) {
      if (j > i && linked[i][j] && running(j)) {
        wire(j); // dials i now rather than after its redial backoff
      }
    }
  }

  /** Stops every running node and deletes the data dirs; the Vert.x instance stays open. */
  @Override
  public void close() throws ExecutionException, TimeoutException, IOException {
    List<Future<Void>> stopping = new ArrayList<>();
    for (int i = 0; i < size(); i++) {
      if (handles[i] != null) {
        stopping.add(handles[i].close());
        handles[i] = null;
      }
    }
    try {
      awaitClosing(Future.join(stopping));
    } finally {
      deleteTree(root);
    }
  }

  /**
   * Waits for the nodes to stop even if this thread is interrupted (the interrupt is kept): a
   * half-stopped network would leave nodes running in the caller's Vert.x.
   */
  private static void awaitClosing(Future<?> stopped) throws ExecutionException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          stopped
              .toCompletionStage()
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

  private Future<NodeHandle> deploy(int i) {
    NodeOptions options = new NodeOptions();
    settings.forEach(options::set);
    options
        .dataDir(dataDir(i)) // last: a test's settings never move a node's dir, port or prefix
        .listen(listen[i] == null ? "127.0.0.1:0" : listen[i])
        .eventBusPrefix(prefix(i));
    if (registry != null) {
      options.meterRegistry(registry);
    }
    return CanopyNode.deploy(vertx, options)
        .onSuccess(
            handle -> {
              handles[i] = handle;
              ids[i] = handle.id();
              listen[i] = handle.listenAddress();
            });
  }

  private void setLink(int a, int b, boolean up) throws Exception {
    linked[a][b] = up;
    linked[b][a] = up;
    int higher = Math.max(a, b);
    if (running(higher)) {
      wire(higher);
    }
  }

  /**
   * A node keeps its linked lower-numbered neighbours connected (must-connect: dialled, redialled).
   */
  private void wire(int i) throws Exception {
    JsonArray lower = new JsonArray();
    for (int j = 0; j < i; j++) {
      if (linked[i][j]) {
        lower.add(ids[j] + "@" + listen[j]);
      }
    }
    await(vertx.eventBus().request(node(i).mustConnectAddress(), lower));
  }

  /** Null when every running node has exactly its linked running neighbours as peers. */
  private String connectionProblems() throws Exception {
    for (int i = 0; i < size(); i++) {
      if (!running(i)) {
        continue;
      }
      Set<String> expected = new HashSet<>();
      for (int j = 0; j < size(); j++) {
        if (linked[i][j] && running(j)) {
          expected.add(ids[j]);
        }
      }
      Set<String> actual = new HashSet<>();
      JsonArray peers =
          await(vertx.eventBus().<JsonArray>request(node(i).peersAddress(), null)).body();
      peers.forEach(p -> actual.add(((io.vertx.core.json.JsonObject) p).getString("id")));
      if (!actual.equals(expected)) {
        return "node " + i + " has " + actual.size() + " peers, expected " + expected.size();
      }
    }
    return null;
  }

  private static <T> T await(Future<T> future) throws Exception {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(
          "CanopyTestNetwork blocks: call it from the test thread, not an event loop");
    }
    return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
