package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.attack.AttackReport;
import network.canopy.p2p.attack.HostilePeers;
import network.canopy.p2p.cli.Main;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's attack on a node in its own JVM run with {@code -Xmx512m} and the default budget (a
 * quarter of the heap): twenty authenticated peers each start a 64 MiB block and stall one byte
 * short, and flood the tx topic past every window. No OutOfMemoryError, the budget's use read from
 * {@code /metrics} stays under the budget, and four honest peers' consensus messages all arrive.
 * Their rate under attack against the quiet one is printed (a measurement, not an assertion).
 */
class BudgetDefenceProcessIT {

  private static final String TOPIC = "consensus";
  private static final int HONEST = 4;
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path root;

  @Test
  void twentyHostilePeersCannotExhaustAHalfGigabyteNode() throws Exception {
    Process victim = startVictim();
    List<String> output = new CopyOnWriteArrayList<>();
    try (TestNodes nodes = new TestNodes()) {
      BlockingQueue<String> lines = JarProcessIT.pump(victim);
      String admin = JarProcessIT.awaitMatch(lines, JarProcessIT.NODE_UP).group(1);
      Thread.ofVirtual().start(() -> drain(lines, output));
      JsonObject status = new JsonObject(get(admin, "/api/node"));
      String victimId = status.getString("id");
      String listen = status.getString("listen");
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
      for (int i = 0; i < HONEST; i++) {
        nodes.start(
            nodes.config(
                root.resolve("h" + i),
                "h" + i,
                Map.of("p2p.dial", victimId + "@" + listen, "p2p.discovery", "false")));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> new JsonArray(get(admin, "/api/peers")).size() == HONEST);

      AtomicLong sent = new AtomicLong();
      AtomicLong unanswered = new AtomicLong(); // a send may wait for room (p2p.sendWaitMs)
      AtomicLong refused = new AtomicLong();
      long[] seq = {0};
      long timer =
          nodes.vertx.setPeriodic(
              HonestMesh.PERIOD_MS,
              id -> {
                seq[0]++;
                for (int i = 0; i < HONEST; i++) {
                  unanswered.incrementAndGet();
                  nodes
                      .vertx
                      .eventBus()
                      .request(
                          new Addresses("h" + i).send(),
                          Buffer.buffer("h" + i + ":" + seq[0]),
                          MessagingTest.sendTo(victimId, TOPIC))
                      .onSuccess(r -> sent.incrementAndGet())
                      .onFailure(e -> refused.incrementAndGet())
                      .onComplete(r -> unanswered.decrementAndGet());
                }
              });
      double[] peak = {0, 0};
      HostilePeers peers = new HostilePeers(port, "canopy-local", 250);
      try {
        TimeUnit.SECONDS.sleep(2); // cold start (JIT) left out of the quiet rate
        double quiet = rate(admin, () -> TimeUnit.SECONDS.sleep(4)); // measurement window
        Thread poller = Thread.ofVirtual().start(() -> pollMemory(admin, peak));
        AttackReport[] report = new AttackReport[1];
        double attacked =
            rate(
                admin,
                () ->
                    report[0] = peers.stallAndOverrun(20, Duration.ofSeconds(15), 2, 64 << 20, 4));
        poller.interrupt();
        poller.join();
        nodes.vertx.cancelTimer(timer);
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> unanswered.get() == 0 && delivered(admin) >= sent.get());
        String figures =
            String.format(
                "%s; honest %.0f/s quiet, %.0f/s under attack (ratio %.2f); budget %.0f MiB,"
                    + " peak used %.1f MiB; honest sent %d, refused %d, delivered %d",
                report[0],
                quiet,
                attacked,
                attacked / quiet,
                peak[1] / 1048576,
                peak[0] / 1048576,
                sent.get(),
                refused.get(),
                delivered(admin));
        System.out.println("budget-defence-process: " + figures);

        assertThat(report[0].connections()).as(figures).isEqualTo(20);
        assertThat(victim.isAlive()).as("the node survived; " + figures).isTrue();
        assertThat(output).as(figures).noneMatch(l -> l.contains("OutOfMemoryError"));
        assertThat(peak[1]).as("the budget was read").isPositive();
        assertThat(peak[0]).as(figures).isLessThanOrEqualTo(peak[1]);
        assertThat(refused.get()).as(figures).isZero();
        assertThat(delivered(admin))
            .as("every honest message arrived; " + figures)
            .isEqualTo(sent.get());
      } finally {
        stop(victim); // first: the attackers' sockets it left paused then close at once
        peers.close();
      }
    } finally {
      stop(victim);
    }
  }

  private static void stop(Process victim) throws InterruptedException {
    victim.destroy();
    if (!victim.waitFor(30, TimeUnit.SECONDS)) {
      victim.destroyForcibly();
    }
  }

  /** The node, from this test's class path, in a JVM of its own with a 512 MiB heap. */
  private Process startVictim() throws Exception {
    Path config = Files.writeString(root.resolve("victim.yaml"), "{}\n");
    return SecondJvm.start(
        List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
        Main.class,
        List.of(
            "run",
            "--listen",
            "127.0.0.1:0",
            "--admin",
            "127.0.0.1:0",
            "--data-dir",
            root.resolve("victim").toString(),
            "--config",
            config.toString(),
            "--set",
            "p2p.maxInbound=40",
            "--set",
            "p2p.discovery=false"));
  }

  private static void drain(BlockingQueue<String> lines, List<String> output) {
    try {
      while (true) {
        String line = lines.poll(1, TimeUnit.SECONDS);
        if (line != null && (line.contains("OutOfMemoryError") || line.contains("budget"))) {
          output.add(line);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @FunctionalInterface
  private interface Window {
    void run() throws Exception;
  }

  /** Honest messages the victim received per second while {@code window} runs. */
  private double rate(String admin, Window window) throws Exception {
    long before = delivered(admin);
    long start = System.nanoTime();
    window.run();
    return (delivered(admin) - before) / ((System.nanoTime() - start) / 1e9);
  }

  /** Every 100 ms: [0] the most budget used seen, [1] the budget. */
  private void pollMemory(String admin, double[] peak) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        String metrics = get(admin, "/metrics");
        peak[0] = Math.max(peak[0], sum(metrics, "p2p_memory_used_bytes{"));
        peak[1] = sum(metrics, "p2p_memory_budget_bytes{");
        TimeUnit.MILLISECONDS.sleep(100);
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        // a slow answer under attack: try again
      }
    }
  }

  private long delivered(String admin) throws Exception {
    String metrics = get(admin, "/metrics");
    return (long)
        metrics
            .lines()
            .filter(
                l ->
                    l.startsWith("p2p_messages_total{")
                        && l.contains("direction=\"in\"")
                        && l.contains("topic=\"" + TOPIC + "\""))
            .mapToDouble(BudgetDefenceProcessIT::value)
            .sum();
  }

  private static double sum(String metrics, String prefix) {
    return metrics
        .lines()
        .filter(l -> l.startsWith(prefix))
        .mapToDouble(BudgetDefenceProcessIT::value)
        .sum();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }

  private String get(String admin, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://" + admin + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
