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
    Path root = Files.createTempDirectory("canopy-bench-gossip");
    List<SimReport> reports = new ArrayList<>();
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, Map.of())) {
      net.start();
      GossipSimulation.run(net, settings(plan.gossipMessages() / 10, 0)); // warm-up
      // Three runs in both plans: BENCHMARKS.md's minimum, and a 128-node run of 1,000 takes a while.
      for (int run = 1; run <= RUNS; run++) {
        reports.add(GossipSimulation.run(net, settings(plan.gossipMessages(), run)));
      }
    } finally {
      deleteTree(root);
    }
    row.put("p2p", summary(reports, SimReport::timeToAllP50Ms));
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
