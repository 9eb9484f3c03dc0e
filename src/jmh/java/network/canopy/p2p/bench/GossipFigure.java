package network.canopy.p2p.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import network.canopy.p2p.sim.GossipSimulation;
import network.canopy.p2p.sim.SimGraph;
import network.canopy.p2p.sim.SimNetwork;
import network.canopy.p2p.sim.SimReport;

/**
 * {@code gossip-N}: N in-process nodes on loopback along a random degree-8 graph; broadcasts from
 * random nodes, one at a time (the next starts once the previous reached every node), so the time
 * to all is propagation, not queueing. Main column: time-to-all p50; {@code p2p_p99}; notes carry
 * delivery ratio, receptions per node per message and the baselines (1 reception, the diameter).
 * {@code gossip-32} also runs the same graph and plan with validation on ({@code validate: true}
 * on the topic, every node's validator accepting everything) and reports it beside: extra
 * {@code p2p_validated} (its p50), notes {@code validated_delivery_ratio_min} and
 * {@code validated_p50_ratio} (validated p50 / plain p50).
 */
final class GossipFigure {

  static final int DEGREE = 8;
  private static final int RUNS = 3;
  private static final String TOPIC = "consensus";
  private static final long SEED = 20261125L;

  private GossipFigure() {
  }

  static boolean isGossip(String figure) {
    return figure.startsWith("gossip-");
  }

  static FigureResult measure(String name, Plan plan) throws Exception {
    int nodes = Integer.parseInt(name.substring("gossip-".length()));
    FigureResult row = new FigureResult(name, "ms p50 to all").put("tcp", null).put("tls", null);
    SimGraph graph = SimGraph.randomRegular(nodes, DEGREE, new Random(SEED));
    List<SimReport> reports = runs(graph, plan, false);
    row.put("p2p", summary(reports, SimReport::timeToAllP50Ms));
    if (nodes == 32) {
      List<SimReport> validated = runs(graph, plan, true);
      Summary p50 = summary(validated, SimReport::timeToAllP50Ms);
      row.extra("p2p_validated", p50);
      row.note("validated_delivery_ratio_min",
          validated.stream().mapToDouble(SimReport::deliveryRatio).min().orElse(0));
      row.note("validated_p50_ratio",
          FigureResult.round(p50.median() / summary(reports, SimReport::timeToAllP50Ms).median(), 2));
    }
    row.extra("p2p_p99", summary(reports, SimReport::timeToAllP99Ms));
    row.note("delivery_ratio_min", reports.stream().mapToDouble(SimReport::deliveryRatio).min().orElse(0));
    row.note("extra_deliveries", reports.stream().mapToLong(SimReport::extraDeliveries).sum());
    row.note("receptions_per_node_per_message",
        FigureResult.round(summary(reports, SimReport::receptionsPerNodePerMessage).median(), 2));
    row.note("ideal_receptions_per_node_per_message", 1);
    row.note("diameter_hops", graph.diameter());
    row.note("nodes", nodes);
    row.note("degree", DEGREE);
    row.note("messages_per_run", plan.gossipMessages());
    row.note("mode", "one broadcast at a time, random origins, 256-byte payloads");
    return row;
  }

  /**
   * A warm-up and {@link #RUNS} measured runs on a fresh network of {@code graph}; with
   * {@code validated}, the topic requires validation and every node's validator accepts at once.
   */
  private static List<SimReport> runs(SimGraph graph, Plan plan, boolean validated) throws Exception {
    Path root = Files.createTempDirectory("canopy-bench-gossip");
    // The same single topic in both networks; only its validate flag differs.
    Map<String, String> config = Map.of("topics", "[{\"name\":\"" + TOPIC
        + "\",\"id\":1,\"priority\":8,\"gossip\":true,\"validate\":" + validated + "}]");
    List<SimReport> reports = new ArrayList<>();
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, config)) {
      if (validated) {
        for (int i = 0; i < graph.size(); i++) {
          net.vertx().eventBus().<Object>consumer(net.addresses(i).validate(TOPIC), m -> m.reply("accept"))
              .completion().toCompletionStage().toCompletableFuture().get();
        }
      }
      net.start();
      GossipSimulation.run(net, settings(plan.gossipMessages() / 10, 0)); // warm-up
      // Three runs in both plans: BENCHMARKS.md's minimum, and a 128-node run of 1,000 takes a while.
      for (int run = 1; run <= RUNS; run++) {
        reports.add(GossipSimulation.run(net, settings(plan.gossipMessages(), run)));
      }
    } finally {
      deleteTree(root);
    }
    return reports;
  }

  private static GossipSimulation.Settings settings(int messages, long seed) {
    return new GossipSimulation.Settings(messages, 256, 1, 1, 0, false, SEED + seed, 30);
  }

  private interface Field {
    double of(SimReport report);
  }

  private static Summary summary(List<SimReport> reports, Field field) {
    return Summary.of(reports.stream().mapToDouble(field::of).toArray());
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
