package network.canopy.p2p.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.ConfigSource;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.testing.Blocking;

/** Starts real nodes on loopback (ports picked by the OS) for API-level tests. */
final class TestNodes implements AutoCloseable {

  final PrometheusMeterRegistry registry;
  final Vertx vertx;
  final WebClient http;

  TestNodes() {
    this(VertxBootstrap.newRegistry());
  }

  private TestNodes(PrometheusMeterRegistry registry) {
    this(registry, VertxBootstrap.create(registry));
  }

  /** Nodes on a Vert.x of the caller's (clustered, for example) with its registry. */
  TestNodes(PrometheusMeterRegistry registry, Vertx vertx) {
    this.registry = registry;
    this.vertx = vertx;
    this.http = WebClient.create(vertx);
  }

  /** A loopback config for a node with its own data dir and event-bus prefix. */
  NodeConfig config(Path dataDir, String prefix, Map<String, String> extra) throws Exception {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("dataDir", dataDir.toString());
    overrides.put("p2p.listen", "127.0.0.1:0");
    overrides.put("admin.listen", "127.0.0.1:0");
    overrides.put("eventBus.prefix", prefix);
    overrides.putAll(extra);
    // No file (a missing, non-explicit one is "defaults") and no environment: only what is set
    // here.
    Path noFile = dataDir.resolve("no-config.yaml");
    return await(ConfigLoader.load(vertx, new ConfigSource(noFile, false, Map.of(), overrides)));
  }

  private final Map<String, NodeVerticle> deployed = new java.util.concurrent.ConcurrentHashMap<>();

  /** Deploys a node; returns its deployment id. */
  String start(NodeConfig config) throws Exception {
    NodeVerticle node = new NodeVerticle(config, registry);
    String id = await(vertx.deployVerticle(node));
    deployed.put(id, node);
    return id;
  }

  /** Stops a node the way the run command does: goodbyes, reverse-order shutdown, undeploy. */
  void stop(String deploymentId) {
    Blocking.awaitClosing(
        deployed.remove(deploymentId).shutdown().compose(v -> vertx.undeploy(deploymentId)),
        Duration.ofSeconds(20));
  }

  /** The node's P2P listen address (HOST:PORT actually bound), from its status answer. */
  String listenAddress(String prefix) throws Exception {
    return status(prefix).getString("listen");
  }

  /** The node's id, from its status answer. */
  String id(String prefix) throws Exception {
    return status(prefix).getString("id");
  }

  JsonObject status(String prefix) throws Exception {
    return await(vertx.eventBus().<JsonObject>request(new Addresses(prefix).nodeStatus(), null))
        .body();
  }

  /** The node's admin port, read from its own status answer. */
  int adminPort(String prefix) throws Exception {
    JsonObject status =
        await(vertx.eventBus().<JsonObject>request(new Addresses(prefix).nodeStatus(), null))
            .body();
    String admin = status.getString("admin");
    return Integer.parseInt(admin.substring(admin.lastIndexOf(':') + 1));
  }

  HttpResponse<Buffer> get(int port, String path) throws Exception {
    return await(http.get(port, "127.0.0.1", path).send());
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(20));
  }
}
