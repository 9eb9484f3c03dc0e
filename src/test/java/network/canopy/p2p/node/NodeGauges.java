package network.canopy.p2p.node;

import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an attack must not move, sampled while it runs: /health answers (any non-UP or missing
 * answer is counted), heap in use (peak) and this process's open file descriptors.
 */
final class NodeGauges {

  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private final TestNodes nodes;

  /**
   * Its own client without keep-alive: pooled connections would hold descriptors past the attack.
   */
  private final WebClient http;

  private final int adminPort;
  private final AtomicLong healthChecks = new AtomicLong();
  private final AtomicLong healthNotUp = new AtomicLong();
  private final AtomicLong peakHeap = new AtomicLong();
  private long timer = -1;

  /** Set by stop(): checks still in flight then fail with the closed client and are not counted. */
  private volatile boolean stopped;

  NodeGauges(TestNodes nodes, String prefix) throws Exception {
    this.nodes = nodes;
    this.http = WebClient.create(nodes.vertx, new WebClientOptions().setKeepAlive(false));
    this.adminPort = nodes.adminPort(prefix);
  }

  /** Samples every 250 ms until {@link #stop}. */
  void start() {
    timer =
        nodes.vertx.setPeriodic(
            250,
            id -> {
              peakHeap.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
              http.get(adminPort, "127.0.0.1", "/health")
                  .timeout(2_000)
                  .send()
                  .onComplete(
                      ar -> {
                        if (stopped) {
                          return; // cut short by stop() closing the client: no answer from the node
                          // either way
                        }
                        healthChecks.incrementAndGet();
                        if (ar.failed() || ar.result().statusCode() != 200) {
                          healthNotUp.incrementAndGet();
                        }
                      });
            });
  }

  void stop() {
    stopped = true;
    nodes.vertx.cancelTimer(timer);
    http.close();
  }

  long healthChecks() {
    return healthChecks.get();
  }

  long healthNotUp() {
    return healthNotUp.get();
  }

  long peakHeapMiB() {
    return peakHeap.get() >> 20;
  }

  /** Heap in use after a full collection: what is actually retained. */
  static long retainedHeapMiB() {
    System.gc();
    return MEMORY.getHeapMemoryUsage().getUsed() >> 20;
  }

  static long openFds() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Waits (bounded) for the descriptor count to come back to {@code baseline} (+2 for noise). */
  static long awaitFds(long baseline) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    long now = openFds();
    while (now > baseline + 2 && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(50);
      now = openFds();
    }
    return now;
  }
}
