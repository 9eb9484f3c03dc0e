package network.canopy.p2p.gossipsim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import network.canopy.p2p.gossip.LazyParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gossip-sim}: the discrete-event gossip simulator — flooding beside lazy push on random
 * degree-D graphs of the given sizes and payloads (plus one churn run), printed as a table and,
 * with {@code --svg DIR}, drawn as the SVG charts of docs/GOSSIP.md.
 */
@Command(
    name = "gossip-sim",
    mixinStandardHelpOptions = true,
    description =
        "Simulate flooding and lazy push on a virtual clock (no sockets) and compare them.")
public final class GossipSimCommand implements Callable<Integer> {

  @Option(names = "--nodes", split = ",", description = "Network sizes (default ${DEFAULT-VALUE})")
  List<Integer> nodes = List.of(1000, 10000);

  @Option(
      names = "--payload",
      split = ",",
      description = "Payload sizes in bytes (default ${DEFAULT-VALUE})")
  List<Integer> payloads = List.of(256, 1 << 20);

  @Option(names = "--degree", description = "Neighbours per node (default ${DEFAULT-VALUE})")
  int degree = 8;

  @Option(
      names = "--messages",
      description = "Measured broadcasts per run (default ${DEFAULT-VALUE})")
  int messages = 50;

  @Option(
      names = "--interval-ms",
      description = "Virtual ms between broadcasts (default ${DEFAULT-VALUE})")
  double intervalMs = 2000;

  @Option(
      names = "--churn",
      description =
          "Also run the smallest size with this share of nodes stopped and restarted (0 = no churn run; default ${DEFAULT-VALUE})")
  double churn = 0.3;

  @Option(
      names = "--links",
      description = "wan (10–100 ms, 100 Mbit/s) or loopback (default ${DEFAULT-VALUE})")
  String links = "wan";

  @Option(
      names = "--large-up-to",
      description =
          "Payloads over 64 KiB run only on networks up to this size (default ${DEFAULT-VALUE})")
  int largeUpTo = 1000;

  @Option(names = "--seed", description = "Seed of graphs and runs (default ${DEFAULT-VALUE})")
  long seed = 20261129L;

  @Option(names = "--svg", description = "Directory to write the SVG charts into")
  Path svg;

  @Override
  public Integer call() throws Exception {
    LinkModel model = links.equals("loopback") ? LinkModel.LOOPBACK : LinkModel.WAN;
    List<String> groups = new ArrayList<>();
    List<SimResult[]> pairs = new ArrayList<>();
    System.out.println(SimResult.header());
    for (int n : nodes) {
      int[][] graph = RandomGraphs.regular(n, degree, new Random(seed + n));
      for (int payload : payloads) {
        if (payload > 64 * 1024 && n > largeUpTo) {
          continue;
        }
        groups.add(String.format("%,d nodes, %s", n, size(payload)));
        pairs.add(pair(graph, payload, 0, model));
        if (svg != null) {
          writeCharts(groups, pairs); // after each pair, so a long run leaves its charts so far
        }
      }
    }
    if (churn > 0) {
      int n = nodes.getFirst();
      groups.add(
          String.format("%,d nodes, %s, %.0f%% churn", n, size(payloads.getFirst()), churn * 100));
      pairs.add(
          pair(
              RandomGraphs.regular(n, degree, new Random(seed + n)),
              payloads.getFirst(),
              churn,
              model));
    }
    if (svg != null) {
      writeCharts(groups, pairs);
    }
    return 0;
  }

  private SimResult[] pair(int[][] graph, int payload, double churnShare, LinkModel model) {
    SimResult[] out = new SimResult[2];
    for (int i = 0; i < 2; i++) {
      out[i] =
          GossipSimRun.run(
              new GossipSimRun.Settings(
                  graph,
                  i == 1,
                  Math.max(5, messages / 10),
                  messages,
                  payload,
                  intervalMs,
                  churnShare,
                  churnShare > 0,
                  model,
                  LazyParams.DEFAULTS,
                  seed));
      System.out.println(out[i].row());
    }
    return out;
  }

  private void writeCharts(List<String> groups, List<SimResult[]> pairs) throws Exception {
    Files.createDirectories(svg);
    List<String> series = List.of("flood", "lazy push");
    chart(
        "receptions.svg",
        "Payload receptions per node per message (ideal: 1)",
        "receptions",
        groups,
        series,
        pairs,
        SimResult::receptionsPerNode);
    chart(
        "time-to-all.svg",
        "Time to reach all nodes, p99 (virtual ms)",
        "ms",
        groups,
        series,
        pairs,
        SimResult::timeToAllP99Ms);
    chart(
        "bytes-sent.svg",
        "Bytes sent per node per message",
        "bytes",
        groups,
        series,
        pairs,
        SimResult::bytesSentPerNode);
    chart(
        "announcements.svg",
        "Announcement (control) bytes per node per message",
        "bytes",
        groups,
        series,
        pairs,
        SimResult::announcementBytesPerNode);
    chart(
        "delivery.svg", "Delivery ratio", "ratio", groups, series, pairs, SimResult::deliveryRatio);
    System.err.println("gossip-sim: charts written to " + svg);
  }

  private interface Field {
    double of(SimResult r);
  }

  private void chart(
      String file,
      String title,
      String unit,
      List<String> groups,
      List<String> series,
      List<SimResult[]> pairs,
      Field field)
      throws Exception {
    double[][] values = new double[pairs.size()][2];
    for (int g = 0; g < pairs.size(); g++) {
      values[g][0] = field.of(pairs.get(g)[0]);
      values[g][1] = field.of(pairs.get(g)[1]);
    }
    Files.writeString(svg.resolve(file), SvgBars.chart(title, unit, groups, series, values));
  }

  private static String size(int bytes) {
    return bytes >= 1 << 20
        ? (bytes >> 20) + " MiB"
        : bytes >= 1024 ? (bytes >> 10) + " KiB" : bytes + " B";
  }
}
