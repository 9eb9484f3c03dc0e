package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.examples.ClusterSlowConsumerApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A slow application (2 ms per message) in a second JVM on the clustered event bus, consuming two
 * topics (tx and consensus, each on its own worker) and acknowledging on {@code
 * b.topic.<name>.ack}: node a sends to node b on both as fast as b takes them for 8 s. The
 * acknowledgement credit holds each topic at b (what its application has not finished stays near
 * the hold, here b's 64 KiB {@code p2p.inboxBytes}, instead of growing with what the sender can
 * push), a's sends wait for room while it is held, and once the application catches up it has every
 * accepted message of each topic, in order (its count line names them all with no disorder).
 * scripts/flow-soak.sh --cluster runs each default topic in turn for longer (FlowSoakCluster).
 */
class ClusterBackpressureIT {

  private static final List<String> TOPICS = List.of("tx", "consensus");

  @TempDir Path root;

  @Test
  void aSlowApplicationInAnotherJvmSlowsItsSenderOnEachTopicAndMissesNothing() throws Exception {
    String clusterName = "canopy-backpressure-" + UUID.randomUUID();
    int port = SecondJvm.freePort();
    PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
    Vertx clustered = SecondJvm.joinLoopbackCluster(registry, clusterName, port);
    Process app = startApp(clusterName, port);
    try (TrustLine line = new TrustLine(root, new TestNodes(registry, clustered))) {
      BlockingQueue<String> lines = JarProcessIT.pump(app);
      awaitAll(lines, TOPICS.stream().map(t -> "ready: consuming b.topic." + t).toList());
      // Small bounds, so that 1 KiB messages meet them within seconds: b's window for each topic is
      // 64 KiB, a's queue for b 1 MiB.
      line.start("b", Map.of("p2p.inboxBytes", "65536"), List.of());
      line.start("a", Map.of("p2p.sendQueueBytes", String.valueOf(1 << 20)), List.of("b"));
      line.awaitLinked("a", "b");
      // Until b's event bus knows the application's consumers, what b publishes reaches no one.
      long probe =
          clustered.setPeriodic(
              300,
              id ->
                  TOPICS.forEach(
                      topic ->
                          clustered
                              .eventBus()
                              .request(
                                  new Addresses("a").send(),
                                  Buffer.buffer("probe"),
                                  toB(line.id("b"), topic))));
      awaitAll(lines, TOPICS.stream().map(t -> "probe " + t).toList());
      clustered.cancelTimer(probe);

      Map<String, AtomicLong> accepted = new LinkedHashMap<>();
      Map<String, AtomicLong> refused = new LinkedHashMap<>();
      Map<String, double[]> maxUnfinished = new LinkedHashMap<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
      for (String topic : TOPICS) {
        accepted.put(topic, new AtomicLong());
        refused.put(topic, new AtomicLong());
        maxUnfinished.put(topic, new double[1]);
      }
      long sampler =
          clustered.setPeriodic(
              20,
              id ->
                  TOPICS.forEach(
                      t ->
                          maxUnfinished.get(t)[0] =
                              Math.max(
                                  maxUnfinished.get(t)[0],
                                  line.gauge("b", "p2p.topic.unfinished", "topic", t))));
      List<Promise<Void>> stopped = new ArrayList<>();
      for (String topic : TOPICS) {
        Promise<Void> done = Promise.promise();
        stopped.add(done);
        clustered.runOnContext(
            v ->
                sendNext(
                    clustered,
                    toB(line.id("b"), topic),
                    accepted.get(topic),
                    refused.get(topic),
                    deadline,
                    done));
      }
      // Every sender past the deadline with its last send answered: a send waiting for room (a's
      // p2p.sendWaitMs) may be accepted well after the deadline, and must be counted.
      for (Promise<Void> done : stopped) {
        await(done.future());
      }
      // The application catches up: its last count line of each topic names every accepted message.
      awaitAll(
          lines,
          TOPICS.stream()
              .map(
                  t -> {
                    long n = accepted.get(t).get();
                    return "count " + n + " last " + n + " disorder 0 topic " + t;
                  })
              .toList());
      clustered.cancelTimer(sampler);
      for (String topic : TOPICS) {
        System.out.printf(
            "cluster-backpressure %s: accepted %d, waited %.0f, refused %d, most unfinished at b"
                + " %.0f%n",
            topic,
            accepted.get(topic).get(),
            line.counter("a", "p2p.sends.waited", "topic", topic),
            refused.get(topic).get(),
            maxUnfinished.get(topic)[0]);
        assertThat(accepted.get(topic).get()).as(topic).isPositive();
        // Its requests waited for room (p2p.sendWaitMs) rather than being refused.
        assertThat(refused.get(topic).get() + line.counter("a", "p2p.sends.waited", "topic", topic))
            .as("%s: the sender saw the backpressure", topic)
            .isPositive();
        // Held from p2p.inboxBytes (64 KiB: 64 of these messages) on; what arrives meanwhile waits
        // in b's inbox, not at the application. Without the credit it grows with all a can push
        // (thousands). Runs with tx alone saw 71 and 189, the first with both topics 64 and 64 (the
        // earlier overshoot is not explained), so the bound is README's 500 messages, not the 64
        // where holding starts.
        assertThat(maxUnfinished.get(topic)[0]).as("%s was held at b", topic).isBetween(1.0, 500.0);
      }
    } finally {
      app.destroyForcibly();
      app.waitFor(20, TimeUnit.SECONDS);
      await(clustered.close());
    }
  }

  private static DeliveryOptions toB(String peer, String topic) {
    return new DeliveryOptions()
        .addHeader(Addresses.HEADER_PEER, peer)
        .addHeader(Addresses.HEADER_TOPIC, topic);
  }

  /** Reads the application's lines until each of {@code wanted} has appeared (at most 60 s). */
  private static void awaitAll(BlockingQueue<String> lines, List<String> wanted)
      throws InterruptedException {
    Set<String> missing = new HashSet<>(wanted);
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!missing.isEmpty() && System.nanoTime() < deadline) {
      String next = lines.poll(100, TimeUnit.MILLISECONDS);
      if (next != null) {
        missing.remove(next.trim());
        seen.add(next);
      }
    }
    assertThat(missing)
        .as(
            "lines of the application (last: %s)",
            seen.subList(Math.max(0, seen.size() - 8), seen.size()))
        .isEmpty();
  }

  /**
   * One 1 KiB send at a time, as fast as node a accepts them; a refused one is retried after 1 ms.
   */
  private static void sendNext(
      Vertx vertx,
      DeliveryOptions to,
      AtomicLong accepted,
      AtomicLong refused,
      long deadline,
      Promise<Void> done) {
    if (System.nanoTime() > deadline) {
      done.tryComplete();
      return;
    }
    long seq = accepted.get() + 1;
    vertx
        .eventBus()
        .request(new Addresses("a").send(), Buffer.buffer(String.format("%-1024d", seq)), to)
        .onSuccess(
            r -> {
              accepted.incrementAndGet();
              sendNext(vertx, to, accepted, refused, deadline, done);
            })
        .onFailure(
            e -> {
              refused.incrementAndGet();
              vertx.setTimer(1, id -> sendNext(vertx, to, accepted, refused, deadline, done));
            });
  }

  private static Process startApp(String clusterName, int port) throws Exception {
    return SecondJvm.start(
        List.of("-Dhazelcast.wait.seconds.before.join=0"),
        ClusterSlowConsumerApp.class,
        SecondJvm.clusterAppArgs(clusterName, port, "b", String.join(",", TOPICS)));
  }
}
