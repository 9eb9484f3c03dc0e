package network.canopy.p2p.embed;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.ConfigException;
import network.canopy.p2p.config.ConfigLoader;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.node.NodeVerticle;
import network.canopy.p2p.node.VertxBootstrap;

/**
 * Public API: deploys a Canopy node into an application's own Vert.x instance. Several nodes may
 * share one instance when each has its own event-bus prefix and data directory.
 */
public final class CanopyNode {

  /** Header of a received message: the id of the peer it came from. */
  public static final String HEADER_PEER = Addresses.HEADER_PEER;

  /** Header naming the topic, on received messages and on broadcast and send requests. */
  public static final String HEADER_TOPIC = Addresses.HEADER_TOPIC;

  /** Header of a gossip message: its message id (hex). */
  public static final String HEADER_MSG_ID = Addresses.HEADER_MSG_ID;

  private CanopyNode() {}

  /**
   * Deploys a node on {@code vertx}. Completes with its handle once it listens and its admin server
   * is up; fails with an {@link IllegalArgumentException} whose message has one {@code key:
   * problem} line per bad setting, or with the cause that kept the node from starting (a port in
   * use, an unreadable key file).
   */
  public static Future<NodeHandle> deploy(Vertx vertx, NodeOptions options) {
    NodeConfig config;
    try {
      config = ConfigLoader.fromSettings(options.settings());
    } catch (ConfigException e) {
      return Future.failedFuture(new IllegalArgumentException(e.getMessage()));
    }
    MeterRegistry registry =
        options.meterRegistry() != null
            ? options.meterRegistry()
            : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    NodeVerticle node = new NodeVerticle(config, registry);
    return vertx
        .deployVerticle(node)
        .map(deployment -> new NodeHandle(vertx, node, deployment, config.eventBusPrefix()));
  }

  /**
   * A Vert.x builder whose metrics (Vert.x, JVM and event bus) go to {@code registry}: pass the
   * same registry to {@link NodeOptions#meterRegistry} and the node holds a topic back while the
   * application's consumers fall behind (without event-bus metrics it cannot see that).
   */
  public static VertxBuilder vertxBuilder(PrometheusMeterRegistry registry) {
    return VertxBootstrap.builder(registry);
  }
}
