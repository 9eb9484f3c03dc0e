package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.examples.ClusterSlowConsumerApp;

/**
 * The slow-application soak of issue 15 with the application in a SECOND JVM on the clustered event
 * bus (scripts/flow-soak.sh --cluster): for each default topic in turn, node B sends 16 KiB
 * messages to node A one after another at full speed for N seconds (a refused send is retried after
 * 1 ms); A's Vert.x is clustered (Hazelcast TCP-IP on 127.0.0.1, a cluster name of its own) with a
 * {@link ClusterSlowConsumerApp} that takes 2 ms per message and acknowledges on {@code
 * soak-a.topic.<name>.ack}. A probe on another topic, consumed in A's JVM, measures latency against
 * an unloaded run. Prints one line per topic like {@link FlowSoak}; "in order" is the application's
 * own count: every accepted message, each following its predecessor.
 */
public final class FlowSoakCluster {

  private static final int SIZE = 16 * 1024;
  private static final Pattern COUNT =
      Pattern.compile("^count (\\d+) last (\\d+) disorder (\\d+)$");

  private FlowSoakCluster() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int topicsIndex = List.of(args).indexOf("--topics");
    List<String> topics =
        topicsIndex >= 0
            ? List.of(args[topicsIndex + 1].split(","))
            : List.of("consensus", "block", "block_request", "tx");
    Path root = Files.createTempDirectory("canopy-soak-cluster");
    System.out.printf(
        "flow-soak --cluster: %d s per topic, acknowledging application in a second JVM, 2 ms per"
            + " message, max heap %d MiB%n",
        seconds, Runtime.getRuntime().maxMemory() >> 20);
    // The JIT compiles the node's paths during the first case; a baseline taken then is not the
    // node's unloaded latency. One short case first, reported but not judged.
    System.out.println(
        "flow-soak: JIT warm-up (the tx case for " + FlowSoak.WARM_UP_SECONDS + " s, not judged)");
    soak(root.resolve("warm-up"), "tx", FlowSoak.WARM_UP_SECONDS);
    boolean ok = true;
    for (String topic : topics) {
      ok &= soak(root.resolve(topic), topic, seconds);
    }
    System.out.println(ok ? "flow-soak --cluster: PASS" : "flow-soak --cluster: FAIL");
    System.exit(ok ? 0 : 1);
  }

  private static boolean soak(Path dir, String topic, int seconds) throws Exception {
    String probeTopic = topic.equals("consensus") ? "block_request" : "consensus";
    String clusterName = "canopy-soak-" + UUID.randomUUID();
    int port = SecondJvm.freePort();
    PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
    Vertx clustered = SecondJvm.joinLoopbackCluster(registry, clusterName, port);
    Process app = startApp(clusterName, port, topic);
    try (TestNodes nodesA = new TestNodes(registry, clustered);
        TestNodes nodesB = new TestNodes()) {
      BlockingQueue<String> lines = JarProcessIT.pump(app);
      JarProcessIT.awaitMatch(lines, Pattern.compile("^ready: consuming "));
      String idA = FlowSoak.connectPair(dir, nodesA, nodesB);
      // Until A's event bus knows the application's consumer, what A publishes reaches no one.
      long knock =
          nodesB.vertx.setPeriodic(
              300,
              id ->
                  nodesB
                      .vertx
                      .eventBus()
                      .request(
                          new Addresses("soak-b").send(),
                          Buffer.buffer("probe"),
                          MessagingTest.sendTo(idA, topic)));
      JarProcessIT.awaitMatch(lines, Pattern.compile("^probe$"));
      nodesB.vertx.cancelTimer(knock);

      FlowSoak.Probe probe = new FlowSoak.Probe(nodesA, nodesB, idA, probeTopic);
      await(probe.start());
      FlowSoak.CpuMeter cpu = new FlowSoak.CpuMeter();
      List<Long> unloaded = probe.runUnloaded();
      String cpuUnloaded = cpu.lap();

      Sender sender = new Sender(nodesB.vertx, idA, topic);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      nodesB.vertx.runOnContext(v -> sender.next(end));
      FlowSoak.Peaks peaks = new FlowSoak.Peaks(topic);
      FlowSoak.Probe.Loaded loaded = probe.runLoaded(end, peaks);
      String cpuLoaded = cpu.lap();
      await(sender.done.future());
      long accepted = sender.accepted.get();
      Matcher last = awaitCount(lines, accepted, peaks, nodesA);
      boolean inOrder =
          last != null
              && Long.parseLong(last.group(1)) == accepted
              && Long.parseLong(last.group(2)) == accepted
              && last.group(3).equals("0");
      double budget = FlowSoak.gauge(nodesA, "p2p.memory.budget.bytes");
      long p99Unloaded = FlowSoak.p99(unloaded);
      long p99Loaded = FlowSoak.p99(loaded.all());
      boolean ok =
          inOrder
              && peaks.budgetUsed <= budget
              && sender.refused.get() + SlowConsumerTest.waited(nodesB, topic) > 0
              && p99Loaded <= 2 * p99Unloaded;
      System.out.printf("  cpu: unloaded %s; loaded %s%n", cpuUnloaded, cpuLoaded);
      System.out.printf(
          "%-14s accepted %d, application counted %s in order: %s; sends waited %.0f, refused (503) %d;"
              + " budget used peak %.1f of %.1f MiB; heap peak %d MiB; unfinished peak %.0f;"
              + " %s p99 %d us unloaded, %d us loaded (%d us after its first 2 s) -> %s%n",
          topic,
          accepted,
          last == null ? "?" : last.group(0),
          inOrder,
          SlowConsumerTest.waited(nodesB, topic),
          sender.refused.get(),
          peaks.budgetUsed / 1048576,
          budget / 1048576,
          peaks.heap >> 20,
          peaks.unfinished,
          probeTopic,
          p99Unloaded / 1000,
          p99Loaded / 1000,
          FlowSoak.p99(loaded.held()) / 1000,
          ok ? "ok" : "FAIL");
      return ok;
    } finally {
      app.destroyForcibly();
      app.waitFor(20, TimeUnit.SECONDS);
      await(clustered.close());
    }
  }

  /**
   * The application's count lines until one names all {@code accepted} messages (at most 120 s);
   * returns the last one seen, or null.
   */
  private static Matcher awaitCount(
      BlockingQueue<String> lines, long accepted, FlowSoak.Peaks peaks, TestNodes nodes)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    Matcher last = null;
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      peaks.sample(nodes);
      Matcher m = line == null ? null : COUNT.matcher(line);
      if (m != null && m.matches()) {
        last = m;
        if (Long.parseLong(m.group(1)) >= accepted) {
          return m;
        }
      }
    }
    return last;
  }

  /**
   * Numbered 16 KiB messages one after another as fast as node B accepts them; a refused one is
   * retried after 1 ms, so message n is accepted only after n - 1 and the application can check the
   * order from the numbers alone.
   */
  private static final class Sender {
    final AtomicLong accepted = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final Promise<Void> done = Promise.promise();
    private final Vertx vertx;
    private final String peer;
    private final String topic;

    Sender(Vertx vertx, String peer, String topic) {
      this.vertx = vertx;
      this.peer = peer;
      this.topic = topic;
    }

    void next(long endNanos) {
      if (System.nanoTime() >= endNanos) {
        done.tryComplete();
        return;
      }
      long seq = accepted.get() + 1;
      vertx
          .eventBus()
          .request(
              new Addresses("soak-b").send(),
              Buffer.buffer(String.format("%-" + SIZE + "d", seq)),
              MessagingTest.sendTo(peer, topic))
          .onComplete(
              ar -> {
                if (ar.succeeded()) {
                  accepted.incrementAndGet();
                  next(endNanos);
                } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 503) {
                  refused.incrementAndGet();
                  vertx.setTimer(1, id -> next(endNanos));
                } else {
                  done.tryFail(ar.cause());
                }
              });
    }
  }

  private static Process startApp(String clusterName, int port, String topic) throws Exception {
    return SecondJvm.start(
        List.of("-Xmx256m", "-Dhazelcast.wait.seconds.before.join=0"),
        ClusterSlowConsumerApp.class,
        SecondJvm.clusterAppArgs(clusterName, port, "soak-a", topic));
  }
}
