package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.config.Addresses;

/**
 * The slow-application soak of issue 15, run by scripts/flow-soak.sh (not part of the suite): for
 * each default topic in turn, node B sends 16 KiB messages to node A at full speed for N seconds
 * while A's application takes 2 ms per message (acknowledging, or plain with {@code --plain}), and
 * a probe on another topic measures latency against an unloaded run ({@code --retry-ms N}: how long
 * the sender waits before retrying a refused send, default 1; {@code --in-flight N}: sends it keeps
 * in flight, default 64; {@code --topics T1,T2}: only these). Prints one line per topic: accepted
 * vs arrived in order, sends refused, peak budget use vs budget, peak heap, probe p99, and the CPU
 * the process used in each phase next to the machine's load average.
 */
public final class FlowSoak {

  private static final int SIZE = 16 * 1024;

  /** How long the sender waits before retrying a refused send. */
  private static int retryMs = 1;

  /** Seconds of the warm-up case run before the judged ones. */
  static final int WARM_UP_SECONDS = 10;

  /** How many sends the sender keeps in flight. */
  private static int inFlightMax = 64;

  private FlowSoak() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    boolean plain = List.of(args).contains("--plain");
    int retryIndex = List.of(args).indexOf("--retry-ms");
    retryMs = retryIndex >= 0 ? Integer.parseInt(args[retryIndex + 1]) : 1;
    int inFlightIndex = List.of(args).indexOf("--in-flight");
    inFlightMax = inFlightIndex >= 0 ? Integer.parseInt(args[inFlightIndex + 1]) : 64;
    Path root = Files.createTempDirectory("canopy-soak");
    System.out.printf(
        "flow-soak: %d s per topic, %s consumer, 2 ms per message, %d sends in flight, a refused send"
            + " retried after %d ms, max heap %d MiB%n",
        seconds,
        plain ? "plain" : "acknowledging",
        inFlightMax,
        retryMs,
        Runtime.getRuntime().maxMemory() >> 20);
    // The JIT compiles the node's paths during the first case; a baseline taken then is not the
    // node's unloaded latency. One short case first, reported but not judged.
    System.out.println(
        "flow-soak: JIT warm-up (the tx case for " + FlowSoak.WARM_UP_SECONDS + " s, not judged)");
    soak(root.resolve("warm-up"), "tx", WARM_UP_SECONDS, plain);
    boolean ok = true;
    int topicsIndex = List.of(args).indexOf("--topics");
    List<String> topics =
        topicsIndex >= 0
            ? List.of(args[topicsIndex + 1].split(","))
            : List.of("consensus", "block", "block_request", "tx");
    for (String topic : topics) {
      ok &= soak(root.resolve(topic), topic, seconds, plain);
    }
    System.out.println(ok ? "flow-soak: PASS" : "flow-soak: FAIL");
    System.exit(ok ? 0 : 1);
  }

  /**
   * Starts node soak-a on {@code nodesA} and node soak-b on {@code nodesB} dialling it; returns a's
   * id once b reports the connection.
   */
  static String connectPair(Path dir, TestNodes nodesA, TestNodes nodesB) throws Exception {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    nodesB
        .vertx
        .eventBus()
        .<JsonObject>consumer(new Addresses("soak-b").events(), m -> events.add(m.body()));
    nodesA.start(nodesA.config(dir.resolve("a"), "soak-a", Map.of()));
    String idA = nodesA.id("soak-a");
    nodesB.start(
        nodesB.config(
            dir.resolve("b"),
            "soak-b",
            Map.of("p2p.dial", idA + "@" + nodesA.listenAddress("soak-a"))));
    MessagingTest.next(events, "peer.connected");
    return idA;
  }

  private static boolean soak(Path dir, String topic, int seconds, boolean plain) throws Exception {
    String probeTopic = topic.equals("consensus") ? "block_request" : "consensus";
    try (TestNodes nodesA = new TestNodes();
        TestNodes nodesB = new TestNodes()) {
      String idA = connectPair(dir, nodesA, nodesB);
      Addresses a = new Addresses("soak-a");
      SlowApp app = new SlowApp(a.topic(topic), plain ? null : a.ack(topic));
      await(
          nodesA.vertx.deployVerticle(
              app, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)));
      Probe probe = new Probe(nodesA, nodesB, idA, probeTopic);
      await(probe.start());
      CpuMeter cpu = new CpuMeter();
      List<Long> unloaded = probe.runUnloaded();
      String cpuUnloaded = cpu.lap();

      Sender sender = new Sender(nodesB, idA, topic);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      sender.start(end);
      Peaks peaks = new Peaks(topic);
      Probe.Loaded loaded = probe.runLoaded(end, peaks);
      String cpuLoaded = cpu.lap();
      await(sender.done.future());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (app.received.size() < sender.accepted.size() && System.nanoTime() < deadline) {
        peaks.sample(nodesA);
        Thread.sleep(100);
      }
      boolean inOrder = app.received.equals(sender.accepted);
      System.out.printf("  cpu: unloaded %s; loaded %s%n", cpuUnloaded, cpuLoaded);
      double budget = gauge(nodesA, "p2p.memory.budget.bytes");
      long p99Unloaded = p99(unloaded);
      long p99Loaded = p99(loaded.all());
      boolean ok =
          inOrder
              && peaks.budgetUsed <= budget
              && sender.refused.get() + SlowConsumerTest.waited(nodesB, topic) > 0
              && p99Loaded <= 2 * p99Unloaded;
      System.out.printf(
          "%-14s accepted %d, arrived %d in order: %s; sends waited %.0f (reply p99 %d ms), refused (503) %d;"
              + " budget used peak %.1f of %.1f MiB;"
              + " heap peak %d MiB; unfinished peak %.0f; %s p99 %d us unloaded, %d us loaded (%d us after its first 2 s) -> %s%n",
          topic,
          sender.accepted.size(),
          app.received.size(),
          inOrder,
          SlowConsumerTest.waited(nodesB, topic),
          p99(sender.replies) / 1_000_000,
          sender.refused.get(),
          peaks.budgetUsed / 1048576,
          budget / 1048576,
          peaks.heap >> 20,
          peaks.unfinished,
          probeTopic,
          p99Unloaded / 1000,
          p99Loaded / 1000,
          p99(loaded.held()) / 1000,
          ok ? "ok" : "FAIL");
      return ok;
    }
  }

  static double gauge(TestNodes nodes, String name) {
    return nodes.registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
  }

  static long p99(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return Long.MAX_VALUE;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
  }

  /** This process's CPU use (cores) and the machine's load average since the last lap. */
  static final class CpuMeter {
    private final com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpu = os.getProcessCpuTime();
    private long wall = System.nanoTime();

    String lap() {
      long nowCpu = os.getProcessCpuTime();
      long nowWall = System.nanoTime();
      String text =
          String.format(
              "this process %.2f cores, machine load %.1f",
              (nowCpu - cpu) / (double) (nowWall - wall), os.getSystemLoadAverage());
      cpu = nowCpu;
      wall = nowWall;
      return text;
    }
  }

  /** The largest budget use, unfinished count of the slow topic and heap seen. */
  static final class Peaks {
    private final String topic;
    double budgetUsed;
    double unfinished;
    long heap;

    Peaks(String topic) {
      this.topic = topic;
    }

    void sample(TestNodes nodes) {
      budgetUsed = Math.max(budgetUsed, gauge(nodes, "p2p.memory.used.bytes"));
      unfinished =
          Math.max(
              unfinished,
              nodes.registry.find("p2p.topic.unfinished").tag("topic", topic).gauges().stream()
                  .mapToDouble(Gauge::value)
                  .sum());
      heap = Math.max(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
  }

  /**
   * Sends numbered messages at full speed ({@code inFlightMax} in flight, default 64), retrying
   * each 503 after {@code retryMs}; a full queue makes a request wait (p2p.sendWaitMs) before any
   * 503, so the replies pace it.
   */
  private static final class Sender {
    final List<Integer> accepted = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong refused = new AtomicLong();
    final List<Long> replies = Collections.synchronizedList(new ArrayList<>());
    final Promise<Void> done = Promise.promise();
    private final TestNodes nodes;
    private final String peer;
    private final String topic;
    private long endNanos;
    private int next;
    private int inFlight;

    Sender(TestNodes nodes, String peer, String topic) {
      this.nodes = nodes;
      this.peer = peer;
      this.topic = topic;
    }

    void start(long end) {
      endNanos = end;
      nodes.vertx.runOnContext(
          v -> {
            for (int i = 0; i < inFlightMax; i++) {
              send(next++);
            }
          });
    }

    private void send(int seq) {
      inFlight++;
      long sent = System.nanoTime();
      nodes
          .vertx
          .eventBus()
          .request(
              new Addresses("soak-b").send(),
              Buffer.buffer(new byte[SIZE]).setInt(0, seq),
              MessagingTest.sendTo(peer, topic))
          .onComplete(
              ar -> {
                inFlight--;
                if (ar.succeeded()) {
                  replies.add(System.nanoTime() - sent);
                  accepted.add(seq);
                  if (System.nanoTime() < endNanos) {
                    send(next++);
                  }
                } else if (ar.cause() instanceof ReplyException re && re.failureCode() == 503) {
                  refused.incrementAndGet();
                  if (System.nanoTime() < endNanos) {
                    nodes.vertx.setTimer(retryMs, id -> send(seq));
                  }
                }
                if (inFlight == 0 && System.nanoTime() >= endNanos) {
                  done.tryComplete();
                }
              });
    }
  }

  /** Small messages on another topic every 20 ms; latency from send to the app's consumer. */
  static final class Probe {
    private final TestNodes receiver;
    private final TestNodes sender;
    private final String peer;
    private final String topic;
    private final BlockingQueue<Long> latencies = new LinkedBlockingQueue<>();

    Probe(TestNodes receiver, TestNodes sender, String peer, String topic) {
      this.receiver = receiver;
      this.sender = sender;
      this.peer = peer;
      this.topic = topic;
    }

    Future<Void> start() {
      return receiver
          .vertx
          .eventBus()
          .<Buffer>consumer(
              new Addresses("soak-a").topic(topic),
              m -> latencies.add(System.nanoTime() - m.body().getLong(0)))
          .completion();
    }

    /** Loaded latencies, all and those after the first 2 s, once the hold has engaged. */
    record Loaded(List<Long> all, List<Long> held) {}

    /**
     * The unloaded baseline: 2 s of warm-up (the steady state, not the cold JVM), then 15 s (750
     * samples: its p99 is not one outlier).
     */
    List<Long> runUnloaded() throws Exception {
      run(2_000);
      return run(15_000);
    }

    /** Probes until {@code endNanos}, sampling the receiver's peaks each second. */
    Loaded runLoaded(long endNanos, Peaks peaks) throws Exception {
      Loaded loaded = new Loaded(new ArrayList<>(), new ArrayList<>());
      for (int second = 1; System.nanoTime() < endNanos; second++) {
        List<Long> latencies = run(1_000);
        loaded.all().addAll(latencies);
        if (second > 2) {
          loaded.held().addAll(latencies);
        }
        peaks.sample(receiver);
      }
      return loaded;
    }

    List<Long> run(long millis) throws Exception {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() < end) {
        sender
            .vertx
            .eventBus()
            .request(
                new Addresses("soak-b").send(),
                Buffer.buffer(new byte[64]).setLong(0, System.nanoTime()),
                MessagingTest.sendTo(peer, topic));
        Thread.sleep(20);
      }
      List<Long> out = new ArrayList<>();
      latencies.drainTo(out);
      return out;
    }
  }

  /** 2 ms per message; acknowledges each when given an ack address. */
  private static final class SlowApp extends VerticleBase {
    final List<Integer> received = Collections.synchronizedList(new ArrayList<>());
    private final String address;
    private final String ackAddress;

    SlowApp(String address, String ackAddress) {
      this.address = address;
      this.ackAddress = ackAddress;
    }

    @Override
    public Future<?> start() {
      return vertx
          .eventBus()
          .<Buffer>consumer(
              address,
              msg -> {
                try {
                  TimeUnit.MILLISECONDS.sleep(2);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                received.add(msg.body().getInt(0));
                if (ackAddress != null) {
                  vertx.eventBus().send(ackAddress, msg.headers().get(Addresses.HEADER_SEQ));
                }
              })
          .completion();
    }
  }
}
