package network.canopy.p2p.bench;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.ConfigSource;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.crypto.NodeKeyFile;
import network.canopy.p2p.node.NodeVerticle;

/**
 * {@code idle-peers}: one node in this JVM, {@value #PEERS} authenticated peers connected to it
 * from a second JVM ({@link IdlePeerClients}: each a full MultiConn that answers heartbeats and
 * sends nothing else). Heap after GC with the peers minus before, per peer, in KiB; notes carry
 * threads, file descriptors and the node's CPU while idle. No baseline columns.
 */
final class IdlePeersFigure {

  static final String NAME = "idle-peers";
  static final int PEERS = 1000;
  private static final long TIMEOUT_MS = 180_000;
  private static final int IDLE_SECONDS = 10;

  /** {@code -Dcanopy.bench.histogram}: print which classes an idle peer's heap is made of. */
  private static final boolean HISTOGRAM = Boolean.getBoolean("canopy.bench.histogram");

  private IdlePeersFigure() {}

  static FigureResult measure(Vertx vertx, MeterRegistry registry) throws Exception {
    FigureResult row =
        new FigureResult(NAME, "KiB heap per peer").put("tcp", null).put("tls", null);
    Path root = Files.createTempDirectory("canopy-bench-idle");
    String id = NodeKeyFile.create(root).id();
    int port = freePort();
    NodeVerticle node = new NodeVerticle(config(vertx, root, port), registry);
    String deployment = Await.of(vertx.deployVerticle(node), 30_000);
    Process clients = null;
    try {
      Snapshot before = Snapshot.take();
      HeapHistogram histogramBefore = HISTOGRAM ? HeapHistogram.take() : null;
      clients = IdlePeerClients.launch(id, "127.0.0.1:" + port, PEERS);
      int peers = awaitPeers(registry, clients);
      Thread.sleep(2_000); // let the connections' first heartbeats and grants settle
      Snapshot after = Snapshot.take();
      if (HISTOGRAM) {
        System.err.println(
            "idle-peers: heap growth by class, bytes per peer (top 30):\n"
                + HeapHistogram.take().growthPerPeer(histogramBefore, peers, 30));
      }
      long cpuBefore = cpuNanos();
      Thread.sleep(IDLE_SECONDS * 1000L);
      double cpuPercent = 100.0 * (cpuNanos() - cpuBefore) / (IDLE_SECONDS * 1e9);
      double perPeerKib = (after.heapBytes - before.heapBytes) / 1024.0 / peers;
      row.put("p2p", Summary.of(new double[] {FigureResult.round(perPeerKib, 1)}));
      row.note("peers", peers);
      row.note("heap_before_mib", FigureResult.round(before.heapBytes / 1048576.0, 1));
      row.note("heap_after_mib", FigureResult.round(after.heapBytes / 1048576.0, 1));
      row.note("threads_before", before.threads);
      row.note("threads_after", after.threads);
      row.note("fds_before", before.fds);
      row.note("fds_after", after.fds);
      row.note("idle_cpu_percent_of_one_core", FigureResult.round(cpuPercent, 1));
      row.note("goal_kib_per_peer", 32);
      row.note(
          "mode", "node in the bench JVM, peers in a second JVM; heap after System.gc(), one run");
      return row;
    } finally {
      if (clients != null) {
        clients.destroy();
        clients.waitFor(20, TimeUnit.SECONDS);
        clients.destroyForcibly();
      }
      Await.of(node.shutdown(), 60_000);
      Await.of(vertx.undeploy(deployment), 60_000);
      try (Stream<Path> files = Files.walk(root)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static NodeConfig config(Vertx vertx, Path root, int port) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("dataDir", root.toString());
    overrides.put("p2p.listen", "127.0.0.1:" + port);
    overrides.put("admin.listen", "127.0.0.1:0");
    overrides.put("eventBus.prefix", "bench-idle");
    overrides.put("p2p.maxInbound", String.valueOf(PEERS + 100));
    overrides.put("p2p.maxPerIp", String.valueOf(PEERS + 100));
    overrides.put("p2p.discovery", "false");
    // Default 1 s pings, but a long timeout: on a loaded machine the peers' JVM may not answer in 5
    // s.
    overrides.put("p2p.heartbeatTimeoutMs", "30000");
    Path noFile = root.resolve("no-config.yaml");
    return Await.of(
        ConfigLoader.load(vertx, new ConfigSource(noFile, false, Map.of(), overrides)), 30_000);
  }

  /**
   * Waits until the node counts every peer, or the count has not grown for 10 s (a peer whose dial
   * failed is not retried); returns the count.
   */
  private static int awaitPeers(MeterRegistry registry, Process clients) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
    int last = -1;
    long lastChange = System.nanoTime();
    while (System.nanoTime() < deadline) {
      double value =
          registry.find("p2p.peers").tag("direction", "inbound").gauges().stream()
              .mapToDouble(Gauge::value)
              .filter(v -> !Double.isNaN(v))
              .max()
              .orElse(0);
      int count = (int) value;
      if (count >= PEERS) {
        return count;
      }
      if (count != last) {
        last = count;
        lastChange = System.nanoTime();
      } else if (count > 0 && System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(10)) {
        return count;
      }
      if (!clients.isAlive()) {
        throw new IllegalStateException("peer clients exited with " + clients.exitValue());
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        "fewer than " + PEERS + " peers connected within " + TIMEOUT_MS + " ms");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static long cpuNanos() {
    return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  /** Heap used after full GCs, live threads and open descriptors of this JVM. */
  private record Snapshot(long heapBytes, int threads, long fds) {
    static Snapshot take() throws Exception {
      long heap = Long.MAX_VALUE;
      for (int i = 0; i < 3; i++) {
        System.gc();
        Thread.sleep(300);
        heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      long fds;
      try (Stream<Path> open = Files.list(Path.of("/proc/self/fd"))) {
        fds = open.count();
      } catch (Exception e) {
        fds = -1;
      }
      return new Snapshot(heap, ManagementFactory.getThreadMXBean().getThreadCount(), fds);
    }
  }
}
