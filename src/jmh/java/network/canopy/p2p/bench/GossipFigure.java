package network.canopy.p2p.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import network.canopy.p2p.gossip.LazyParams;
import network.canopy.p2p.gossipsim.GossipSimRun;
import network.canopy.p2p.gossipsim.LinkModel;
import network.canopy.p2p.gossipsim.SimResult;
import network.canopy.p2p.sim.GossipSimulation;
import network.canopy.p2p.sim.SimGraph;
import network.canopy.p2p.sim.SimNetwork;
import network.canopy.p2p.sim.SimReport;

/**
 * {@code gossip-N}: N in-process nodes on loopback along a random degree-8 graph; broadcasts from
 * random nodes, one at a time (the next starts once the previous reached every node), so the time
 * to all is propagation, not queueing. Main column: flooding's time-to-all p50; {@code p2p_p99};
 * {@code lazy_*} the same graph with lazy push; notes carry delivery ratio, receptions per node per
 * message, the simulator's figures on the same graph, and the baselines (1 reception, the
 * diameter). {@code gossip-32} also runs the flooding plan with validation on ({@code validate:
 * true}, every node's validator accepting everything): extra {@code p2p_validated} (its p50), notes
 * {@code validated_delivery_ratio_min} and {@code validated_p50_ratio} (validated p50 / plain p50).
 * {@code gossip-big}: 16 MiB lazy-push messages to 32 nodes, bytes received per node over the
 * payload.
 */
final class GossipFigure {

  static final int DEGREE = 8;
  private static final int RUNS = 3;
  static final String BIG = "gossip-big";

  /** The one topic of every bench network; only its gossipMode and validate flag change. */
  private static final String TOPIC = "bench";

  private static final long SEED = 20261125L;

  private GossipFigure() {}

  static boolean isGossip(String figure) {
    return figure.startsWith("gossip-");
  }

  static FigureResult measure(String name, Plan plan) throws Exception {
    if (name.equals(BIG)) {
      return big(plan);
    }
    int nodes = Integer.parseInt(name.substring("gossip-".length()));
    FigureResult row = new FigureResult(name, "ms p50 to all").put("tcp", null).put("tls", null);
    SimGraph graph = SimGraph.randomRegular(nodes, DEGREE, new Random(SEED));
    List<SimReport> reports = runs(graph, Mode.FLOOD, 256, plan.gossipMessages(), RUNS);
    List<SimReport> lazy = runs(graph, Mode.LAZY, 256, plan.gossipMessages(), RUNS);
    List<SimReport> lazyMiB =
        runs(graph, Mode.LAZY, 1 << 20, Math.max(20, plan.gossipMessages() / 10), 1);
    // Flooding 1 MiB moves seven times the bytes: fewer broadcasts, for its latency beside lazy
    // push's.
    List<SimReport> floodMiB =
        runs(graph, Mode.FLOOD, 1 << 20, Math.max(10, plan.gossipMessages() / 20), 1);
    row.put("p2p", summary(reports, SimReport::timeToAllP50Ms));
    if (nodes == 32) {
      List<SimReport> validated =
          runs(graph, Mode.FLOOD_VALIDATED, 256, plan.gossipMessages(), RUNS);
      Summary p50 = summary(validated, SimReport::timeToAllP50Ms);
      row.extra("p2p_validated", p50);
      row.note(
          "validated_delivery_ratio_min",
          validated.stream().mapToDouble(SimReport::deliveryRatio).min().orElse(0));
      row.note(
          "validated_p50_ratio",
          FigureResult.round(
              p50.median() / summary(reports, SimReport::timeToAllP50Ms).median(), 2));
    }
    row.extra("p2p_p99", summary(reports, SimReport::timeToAllP99Ms));
    row.note(
        "delivery_ratio_min",
        reports.stream().mapToDouble(SimReport::deliveryRatio).min().orElse(0));
    row.note("extra_deliveries", reports.stream().mapToLong(SimReport::extraDeliveries).sum());
    row.note(
        "receptions_per_node_per_message",
        FigureResult.round(summary(reports, SimReport::receptionsPerNodePerMessage).median(), 2));
    row.extra("lazy_p2p", summary(lazy, SimReport::timeToAllP50Ms));
    row.extra("lazy_p2p_p99", summary(lazy, SimReport::timeToAllP99Ms));
    row.note(
        "lazy_delivery_ratio_min",
        lazy.stream().mapToDouble(SimReport::deliveryRatio).min().orElse(0));
    row.note(
        "lazy_receptions_per_node_per_message",
        FigureResult.round(summary(lazy, SimReport::receptionsPerNodePerMessage).median(), 3));
    row.note("lazy_1MiB_delivery_ratio", lazyMiB.getFirst().deliveryRatio());
    row.note(
        "lazy_1MiB_receptions_per_node_per_message",
        FigureResult.round(lazyMiB.getFirst().receptionsPerNodePerMessage(), 3));
    row.note(
        "lazy_p99_over_flood_p99",
        FigureResult.round(
            summary(lazy, SimReport::timeToAllP99Ms).median()
                / summary(reports, SimReport::timeToAllP99Ms).median(),
            2));
    row.note("lazy_1MiB_p50_ms", FigureResult.round(lazyMiB.getFirst().timeToAllP50Ms(), 1));
    row.note("lazy_1MiB_p99_ms", FigureResult.round(lazyMiB.getFirst().timeToAllP99Ms(), 1));
    row.note("flood_1MiB_delivery_ratio", floodMiB.getFirst().deliveryRatio());
    row.note(
        "flood_1MiB_receptions_per_node_per_message",
        FigureResult.round(floodMiB.getFirst().receptionsPerNodePerMessage(), 3));
    row.note("flood_1MiB_p50_ms", FigureResult.round(floodMiB.getFirst().timeToAllP50Ms(), 1));
    row.note("flood_1MiB_p99_ms", FigureResult.round(floodMiB.getFirst().timeToAllP99Ms(), 1));
    row.note(
        "lazy_1MiB_p99_over_flood_1MiB_p99",
        FigureResult.round(
            lazyMiB.getFirst().timeToAllP99Ms() / floodMiB.getFirst().timeToAllP99Ms(), 2));
    simulated(row, graph, plan.gossipMessages(), 256, "");
    simulated(row, graph, Math.max(20, plan.gossipMessages() / 10), 1 << 20, "1MiB_");
    compare(row, "flood_", summary(reports, SimReport::receptionsPerNodePerMessage).median());
    compare(row, "lazy_", summary(lazy, SimReport::receptionsPerNodePerMessage).median());
    compare(row, "lazy_1MiB_", lazyMiB.getFirst().receptionsPerNodePerMessage());
    row.note("ideal_receptions_per_node_per_message", 1);
    row.note("diameter_hops", graph.diameter());
    row.note("nodes", nodes);
    row.note("degree", DEGREE);
    row.note("messages_per_run", plan.gossipMessages());
    row.note(
        "mode",
        "one broadcast at a time, random origins, 256-byte payloads; the same graph and"
            + " topic with gossipMode flood, then lazy");
    return row;
  }

  /**
   * {@code gossip-big}: 16 MiB messages to 32 nodes; p2p = bytes received per node over the payload
   * with lazy push; notes: its delivery and times, and flooding's on the same graph in the same run
   * ({@code flood_*}, fewer broadcasts: each moves seven times the bytes).
   */
  private static FigureResult big(Plan plan) throws Exception {
    FigureResult row = new FigureResult(BIG, "received/payload").put("tcp", null).put("tls", null);
    SimGraph graph = SimGraph.randomRegular(32, DEGREE, new Random(SEED));
    int messages = Math.min(10, plan.gossipMessages());
    SimReport lazy = runs(graph, Mode.LAZY, 16 << 20, messages, 1).getFirst();
    SimReport flood = runs(graph, Mode.FLOOD, 16 << 20, Math.max(1, messages / 2), 1).getFirst();
    row.put("p2p", Summary.of(new double[] {lazy.receptionsPerNodePerMessage()}));
    bigNotes(row, "", lazy);
    bigNotes(row, "flood_", flood);
    row.note("flood_received_over_payload_expected", FigureResult.round((8 + 31 * 7) / 32.0, 2));
    row.note(
        "mode",
        "gossipMode lazy, "
            + messages
            + " broadcasts of 16 MiB one at a time from random"
            + " nodes, degree 8, then flooding on a fresh network of the same graph ("
            + Math.max(1, messages / 2)
            + "); every payload copy received counts 16 MiB");
    return row;
  }

  private static void bigNotes(FigureResult row, String prefix, SimReport r) {
    if (!prefix.isEmpty()) {
      row.note(
          prefix + "received_over_payload", FigureResult.round(r.receptionsPerNodePerMessage(), 3));
    }
    row.note(prefix + "delivery_ratio", r.deliveryRatio());
    row.note(prefix + "time_to_all_p50_ms", FigureResult.round(r.timeToAllP50Ms(), 1));
    row.note(prefix + "time_to_all_p99_ms", FigureResult.round(r.timeToAllP99Ms(), 1));
    row.note(prefix + "copies_dropped_at_full_queues", r.droppedCopies());
  }

  /**
   * The discrete-event simulator on the same graph with loopback-like links: delivery and
   * receptions, flooding and lazy push ({@code sim_flood_*}, {@code sim_lazy_*}; 1 MiB: lazy only,
   * {@code sim_lazy_1MiB_*}).
   */
  private static void simulated(
      FigureResult row, SimGraph graph, int messages, int payload, String size) {
    int[][] adjacency = new int[graph.size()][];
    for (int i = 0; i < adjacency.length; i++) {
      adjacency[i] = graph.neighbours(i);
    }
    for (boolean lazy : size.isEmpty() ? new boolean[] {false, true} : new boolean[] {true}) {
      SimResult r =
          GossipSimRun.run(
              new GossipSimRun.Settings(
                  adjacency,
                  lazy,
                  Math.max(5, messages / 10),
                  messages,
                  payload,
                  20,
                  0,
                  false,
                  LinkModel.LOOPBACK,
                  LazyParams.DEFAULTS,
                  SEED));
      String prefix = (lazy ? "sim_lazy_" : "sim_flood_") + size;
      row.note(prefix + "delivery_ratio", r.deliveryRatio());
      row.note(
          prefix + "receptions_per_node_per_message", FigureResult.round(r.receptionsPerNode(), 3));
    }
  }

  /**
   * {@code sim_over_real_<run>receptions}: the simulator's receptions over the real nodes' (goal:
   * within 10%).
   */
  private static void compare(FigureResult row, String run, double real) {
    Object sim = row.notes().get("sim_" + run + "receptions_per_node_per_message");
    if (sim instanceof Number n && real > 0) {
      row.note(
          "sim_over_real_" + run + "receptions", FigureResult.round(n.doubleValue() / real, 3));
    }
  }

  /** How the bench topic gossips in one network. */
  private enum Mode {
    FLOOD("flood", false),
    LAZY("lazy", false),
    FLOOD_VALIDATED("flood", true);

    final String gossipMode;
    final boolean validated;

    Mode(String gossipMode, boolean validated) {
      this.gossipMode = gossipMode;
      this.validated = validated;
    }
  }

  /**
   * A warm-up and {@code runs} measured runs on a fresh network of {@code graph}; with a validated
   * mode the topic requires validation and every node's validator accepts at once.
   */
  private static List<SimReport> runs(
      SimGraph graph, Mode mode, int payload, int messages, int runs) throws Exception {
    Path root = Files.createTempDirectory("canopy-bench-gossip");
    Map<String, String> config =
        Map.of(
            "topics",
            "[{\"name\":\""
                + TOPIC
                + "\",\"id\":1,\"priority\":8,\"gossip\":true,\"maxMessageSize\":"
                + (64 << 20)
                + ",\"validate\":"
                + mode.validated
                + ",\"gossipMode\":\""
                + mode.gossipMode
                + "\"}]");
    List<SimReport> reports = new ArrayList<>();
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, config)) {
      if (mode.validated) {
        for (int i = 0; i < graph.size(); i++) {
          net.vertx()
              .eventBus()
              .<Object>consumer(net.addresses(i).validate(TOPIC), m -> m.reply("accept"))
              .completion()
              .toCompletionStage()
              .toCompletableFuture()
              .get();
        }
      }
      net.start();
      // Warm-up: the tree forms (its first messages flood: only three of 16 MiB, which cost the
      // most).
      int warmup = payload >= 8 << 20 ? 3 : Math.max(5, messages / 10);
      GossipSimulation.run(net, settings(warmup, payload, 0));
      // Three runs in both plans: BENCHMARKS.md's minimum, and a 128-node run of 1,000 takes a
      // while.
      for (int run = 1; run <= runs; run++) {
        reports.add(GossipSimulation.run(net, settings(messages, payload, run)));
      }
    } finally {
      deleteTree(root);
    }
    return reports;
  }

  private static GossipSimulation.Settings settings(int messages, int payload, long seed) {
    return new GossipSimulation.Settings(messages, payload, 1, 1, 0, false, SEED + seed, 120);
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
