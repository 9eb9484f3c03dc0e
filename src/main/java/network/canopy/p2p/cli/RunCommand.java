package network.canopy.p2p.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.ClusterConfig;
import network.canopy.p2p.config.CommandLineOverrides;
import network.canopy.p2p.config.ConfigException;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.ConfigSource;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.node.NodeRunner;
import network.canopy.p2p.node.VertxBootstrap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: loads and validates the configuration, starts the node and keeps it running until
 * SIGTERM/SIGINT, then says goodbye, saves state and exits 0.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Start a node (the default command).")
final class RunCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);
  private static final long START_TIMEOUT_S = 60;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML config file (default: conf/config.yaml when present)")
  Path configFile;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Directory of node.key and peerbook.json (dataDir)")
  String dataDir;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "P2P listen address (p2p.listen); port 0 picks a free port")
  String listen;

  @Option(
      names = "--admin",
      paramLabel = "HOST:PORT",
      description = "Admin HTTP address (admin.listen); port 0 picks a free port")
  String admin;

  @Option(
      names = "--dial",
      paramLabel = "ID@HOST:PORT",
      description = "Peer to keep connected (p2p.dial); repeatable")
  List<String> dial = new ArrayList<>();

  @Option(names = "--network", paramLabel = "NAME", description = "Network name (network)")
  String network;

  @Option(names = "--cluster", description = "Join the clustered event bus (cluster.enabled=true)")
  boolean cluster;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Set any config key; repeatable; lists comma-separated")
  List<String> sets = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
    Vertx vertx = VertxBootstrap.create(registry);
    NodeConfig config;
    try {
      config = loadConfig(vertx);
    } catch (ConfigException e) {
      e.problems().forEach(p -> System.err.println("config error: " + p));
      vertx.close();
      return 2;
    }
    if (config.cluster().enabled()) {
      // The config was read on a plain instance; the node runs on a clustered one with a fresh
      // registry.
      await(vertx.close());
      registry = VertxBootstrap.newRegistry();
      try {
        vertx = joinCluster(registry, config.cluster());
      } catch (Exception e) {
        System.err.println("cannot start: cluster: " + describe(e));
        return 1;
      }
    }
    NodeRunner runner = new NodeRunner(vertx, registry);
    try {
      runner.start(config, START_TIMEOUT_S);
    } catch (Exception e) {
      System.err.println("cannot start: " + describe(e));
      return 1;
    }
    StopSignals.install(runner::stop);
    runner.awaitStopped();
    log.info("bye");
    return 0;
  }

  private static Vertx joinCluster(PrometheusMeterRegistry registry, ClusterConfig cluster)
      throws Exception {
    log.info(
        "joining cluster '{}' on {}:{} (members {})",
        cluster.name(),
        cluster.host(),
        cluster.port(),
        cluster.members());
    Vertx clustered = await(VertxBootstrap.createClustered(registry, cluster));
    log.info(
        "clustered event bus up: application verticles in other JVMs of cluster '{}' reach this node",
        cluster.name());
    return clustered;
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private NodeConfig loadConfig(Vertx vertx) throws Exception {
    var overrides =
        new CommandLineOverrides()
            .dataDir(dataDir)
            .listen(listen)
            .admin(admin)
            .network(network)
            .cluster(cluster)
            .dial(dial)
            .set(sets)
            .toMap();
    try {
      return ConfigLoader.load(vertx, ConfigSource.fromProcess(configFile, overrides))
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof ConfigException ce) {
        throw ce;
      }
      throw e;
    }
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null ? t.toString() : message;
  }
}
