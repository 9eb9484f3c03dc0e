package network.canopy.p2p.sim;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sim}: N real nodes in this JVM on loopback, wired as a random graph (or a ring or line), M
 * broadcasts from random nodes, optionally stopping (and restarting) a share of the nodes
 * meanwhile; prints delivery ratio, receptions per node per message, time to all and diameter.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = "Simulate a gossip network in this JVM and report how broadcasts spread.")
public final class SimCommand implements Callable<Integer> {

  @Option(names = "--nodes", description = "Number of nodes (default ${DEFAULT-VALUE})")
  int nodes = 32;

  @Option(
      names = "--degree",
      description = "Neighbours per node in the random graph (default ${DEFAULT-VALUE})")
  int degree = 8;

  @Option(names = "--graph", description = "random, ring or line (default ${DEFAULT-VALUE})")
  String graph = "random";

  @Option(names = "--messages", description = "Broadcasts (default ${DEFAULT-VALUE})")
  int messages = 1000;

  @Option(names = "--payload", description = "Payload bytes (default ${DEFAULT-VALUE})")
  int payload = 256;

  @Option(names = "--rate", description = "Broadcasts per second (default ${DEFAULT-VALUE})")
  int rate = 100;

  @Option(
      names = "--in-flight",
      description =
          "Instead of a rate: at most this many broadcasts still spreading at once (1 = one at a time: pure propagation time)")
  int inFlight;

  @Option(
      names = "--churn",
      description =
          "Share of nodes stopped after a third of the broadcasts, 0..0.9 (default ${DEFAULT-VALUE})")
  double churn = 0;

  @Option(
      names = "--restart",
      description = "Start the stopped nodes again after two thirds of the broadcasts")
  boolean restart;

  @Option(names = "--seed", description = "Random seed of the graph and the run (default: random)")
  Long seed;

  @Option(names = "--topic", description = "Gossip topic (default ${DEFAULT-VALUE})")
  String topic = "consensus";

  @Option(names = "--json", description = "Print the report as one JSON object")
  boolean json;

  @Option(names = "--verbose", description = "Keep the nodes' INFO logs")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    if (nodes < 2 || messages < 1 || rate < 1 || inFlight < 0 || churn < 0 || churn > 0.9) {
      System.err.println(
          "sim: need --nodes >= 2, --messages >= 1, --rate >= 1, --in-flight >= 0, --churn in 0..0.9");
      return 2;
    }
    Logger nodeLogs = (Logger) LoggerFactory.getLogger("network.canopy.p2p");
    Level level = nodeLogs.getLevel();
    if (!verbose) {
      nodeLogs.setLevel(Level.WARN); // a hundred nodes' INFO lines would bury the report
    }
    try {
      return simulate();
    } finally {
      nodeLogs.setLevel(level);
    }
  }

  private int simulate() throws Exception {
    long runSeed = seed != null ? seed : new Random().nextLong();
    SimGraph g =
        switch (graph) {
          case "ring" -> SimGraph.ring(nodes);
          case "line" -> SimGraph.line(nodes);
          default -> SimGraph.randomRegular(nodes, degree, new Random(runSeed));
        };
    Path root = Files.createTempDirectory("canopy-sim");
    try (SimNetwork net = new SimNetwork(g, root, topic, Map.of())) {
      System.err.printf("sim: starting %d nodes (%s graph, seed %d)%n", nodes, graph, runSeed);
      net.start();
      System.err.printf(
          "sim: links up; %d broadcasts %s%n",
          messages,
          inFlight > 0 ? "with at most " + inFlight + " spreading at once" : "at " + rate + "/s");
      SimReport report =
          GossipSimulation.run(
              net,
              new GossipSimulation.Settings(
                  messages, payload, rate, inFlight, churn, restart, runSeed, 30));
      System.out.println(json ? report.toJson().encode() : report.toText());
      return report.deliveryRatio() == 1.0 && report.extraDeliveries() == 0 ? 0 : 1;
    } finally {
      deleteTree(root);
    }
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
