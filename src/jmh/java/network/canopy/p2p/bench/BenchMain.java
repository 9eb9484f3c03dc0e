package network.canopy.p2p.bench;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import network.canopy.p2p.node.VertxBootstrap;

/**
 * Entry point of scripts/bench.sh: measures the node ("p2p") and its baselines (raw TCP, TLS 1.3)
 * in one Vert.x instance, prints a table and writes results.json (see BENCHMARKS.md).
 */
public final class BenchMain {

  static final List<String> FIGURES =
      List.of(
          "bulk-1MiB",
          "small-128B",
          "rtt-1KiB",
          MixedPriority.NAME,
          "handshakes",
          "gossip-32",
          "gossip-128",
          GossipFigure.BIG,
          IdlePeersFigure.NAME);
  private static final Path DEFAULT_OUT = Path.of("target", "bench", "results.json");
  private static final String USAGE =
      "usage: scripts/bench.sh [--quick] [--contention N] [--gossip-messages N] [--out FILE] [figure...]\n"
          + "  figures: "
          + String.join(" ", FIGURES)
          + " (default: all; --quick leaves out gossip-128 and gossip-big)\n"
          + "  --contention N: N busy threads in another process compete for the cores meanwhile\n"
          + "  --gossip-messages N: broadcasts per gossip run instead of the plan's (gossip-big: at most 10)";

  private BenchMain() {}

  /** Parsed command line. */
  private record Options(
      boolean quick, int contention, int gossipMessages, Path out, List<String> figures) {}

  public static void main(String[] args) throws Exception {
    // Before anything touches TLS: the JDK reads its TLS properties once.
    SelfSignedTls.configureJdk();
    Options options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(USAGE);
      return;
    }
    int status = 0;
    try {
      run(options);
    } catch (Exception e) {
      System.err.println("bench failed: " + e);
      e.printStackTrace();
      status = 1;
    }
    // Exit even if a stuck event loop (a bug, or a node that hangs) would keep the JVM alive.
    System.exit(status);
  }

  private static Options parse(String[] args) {
    boolean quick = false;
    int contention = 0;
    int gossipMessages = 0;
    Path out = DEFAULT_OUT;
    List<String> figures = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--help", "-h" -> {
          return null;
        }
        case "--out" -> {
          if (++i == args.length) {
            throw new IllegalArgumentException("--out needs a file");
          }
          out = Path.of(args[i]);
        }
        case "--contention" -> contention = contentionThreads(++i < args.length ? args[i] : null);
        case "--gossip-messages" ->
            gossipMessages =
                count(
                    ++i < args.length ? args[i] : null,
                    "--gossip-messages needs a number of broadcasts, 1..100000",
                    1,
                    100_000);
        default -> {
          if (!FIGURES.contains(args[i])) {
            throw new IllegalArgumentException("unknown figure or option: " + args[i]);
          }
          figures.add(args[i]);
        }
      }
    }
    List<String> defaults =
        quick
            ? FIGURES.stream()
                .filter(f -> !f.equals("gossip-128") && !f.equals(GossipFigure.BIG))
                .toList()
            : FIGURES;
    return new Options(
        quick,
        contention,
        gossipMessages,
        out,
        figures.isEmpty() ? defaults : List.copyOf(figures));
  }

  private static int contentionThreads(String value) {
    return count(value, "--contention needs a number of threads, 1..64", 1, 64);
  }

  private static int count(String value, String problem, int min, int max) {
    try {
      int n = Integer.parseInt(value == null ? "" : value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(problem);
  }

  private static void run(Options options) throws Exception {
    if (options.contention() == 0) {
      measure(options);
      return;
    }
    System.out.println("bench: " + options.contention() + " busy threads in another process");
    BusyLoad load =
        BusyLoad.start(options.contention()); // runs beside, never read: no try-with-resources
    try {
      measure(options);
    } finally {
      load.close();
    }
  }

  private static void measure(Options options) throws Exception {
    Plan plan = options.quick() ? Plan.quick() : Plan.full();
    if (options.gossipMessages() > 0) {
      plan = plan.withGossipMessages(options.gossipMessages());
    }
    System.out.printf(
        "bench: %s suite, %s, JDK %s, %d cores, contention %d%n",
        plan.name(),
        String.join(" ", options.figures()),
        System.getProperty("java.runtime.version"),
        Runtime.getRuntime().availableProcessors(),
        options.contention());
    PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
    Vertx vertx = VertxBootstrap.create(registry);
    Map<String, Side> sides = new LinkedHashMap<>();
    try {
      SelfSignedTls tls = SelfSignedTls.generate();
      String unavailable = openP2p(vertx, registry, plan, options.figures(), sides);
      sides.put("tcp", FramedSide.tcp(vertx));
      sides.put("tls", FramedSide.tls(vertx, tls));
      Figures figures = new Figures(vertx, plan, sides, unavailable, tls);
      List<FigureResult> rows = new ArrayList<>();
      for (String name : options.figures()) {
        System.out.println("== " + name);
        FigureResult row = figures.run(name);
        ResultTable.details(row);
        rows.add(row);
      }
      ResultTable.print(rows);
      ResultsJson.write(
          options.out(), ResultsJson.document(options.contention(), plan.name(), rows));
      System.out.println("\nwrote " + options.out());
    } finally {
      for (Side side : sides.values()) {
        closeQuietly(side);
      }
      Await.of(vertx.close(), 30_000);
    }
  }

  /** Opens the p2p side when a figure needs it; returns why it is unavailable, or null. */
  private static String openP2p(
      Vertx vertx,
      PrometheusMeterRegistry registry,
      Plan plan,
      List<String> figures,
      Map<String, Side> sides) {
    if (figures.stream()
        .allMatch(
            f ->
                f.equals("handshakes")
                    || GossipFigure.isGossip(f)
                    || f.equals(IdlePeersFigure.NAME))) {
      return null;
    }
    System.out.println(
        "p2p: starting two nodes, waiting up to "
            + plan.p2pConnectMs()
            + " ms for a message to cross");
    try {
      sides.put("p2p", P2pSide.open(vertx, registry, plan.p2pConnectMs()));
      System.out.println("p2p: connected");
      return null;
    } catch (P2pSide.Unavailable e) {
      System.out.println("p2p: node send path not available (" + e.getMessage() + ")");
      return "node send path not available: " + e.getMessage();
    } catch (Exception e) {
      System.out.println("p2p: the nodes did not start (" + e + ")");
      return "nodes did not start: " + e;
    }
  }

  private static void closeQuietly(Side side) {
    try {
      side.close();
    } catch (Exception e) {
      System.out.println("note: closing " + side.label() + " failed: " + e);
    }
  }
}
