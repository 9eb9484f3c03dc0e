package network.canopy.p2p.node;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.UUID;
import network.canopy.p2p.config.ClusterConfig;
import network.canopy.p2p.config.ClusterTlsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the Vert.x instance a node runs on, with Micrometer metrics (Vert.x and JVM) recorded into
 * a Prometheus registry that belongs to that instance alone, so several instances in one JVM
 * (tests, simulations) never mix their figures. Sockets use Netty's native epoll transport where it
 * loads (Linux x86-64), which lets peer sockets keep little unsent data in the kernel
 * (transport/SocketTuning); elsewhere, or with {@code -Dcanopy.transport=nio}, Java NIO.
 */
public final class VertxBootstrap {

  /**
   * System property choosing the socket transport: {@code auto} (default: epoll if it loads) or
   * {@code nio}.
   */
  public static final String TRANSPORT_PROPERTY = "canopy.transport";

  private static final Logger log = LoggerFactory.getLogger(VertxBootstrap.class);

  private VertxBootstrap() {}

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * The event-bus addresses with meters: {@code <prefix>.topic.<name>} (and its {@code .ack}),
   * whose pending gauge the node reads to hold back; a plain scan, since it runs for every message.
   */
  static boolean isTopicAddress(String address) {
    return address.indexOf(".topic.") > 0;
  }

  private static VertxMetricsFactory metrics(PrometheusMeterRegistry registry) {
    return new TopicBusMetrics(
        new MicrometerMetricsFactory(registry), VertxBootstrap::isTopicAddress);
  }

  /** A standalone (non-clustered) Vert.x instance recording into {@code registry}. */
  public static Vertx create(PrometheusMeterRegistry registry) {
    return builder(registry).build();
  }

  /** A builder with this node's Vert.x options and metrics recorded into {@code registry}. */
  public static VertxBuilder builder(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(options())
        .withMetrics(metrics(registry))
        .withTransport(transport());
  }

  /**
   * A clustered Vert.x instance (Hazelcast, see {@link HazelcastSetup}) whose event bus listens on
   * {@code cluster.host}, so application verticles in other JVMs of the cluster reach the node's
   * addresses. Completes once this member has joined (or started) the cluster.
   */
  public static Future<Vertx> createClustered(
      PrometheusMeterRegistry registry, ClusterConfig cluster) {
    return Vertx.builder()
        .with(options().setEventBusOptions(eventBusOptions(cluster)))
        .withMetrics(metrics(registry))
        .withTransport(transport())
        .withClusterManager(HazelcastSetup.clusterManager(cluster))
        .buildClustered();
  }

  /**
   * Epoll when it is available and not turned off by {@link #TRANSPORT_PROPERTY}; else NIO, which
   * works everywhere but cannot set TCP_NOTSENT_LOWAT.
   */
  static Transport transport() {
    String choice = System.getProperty(TRANSPORT_PROPERTY, "auto");
    if (choice.equals("nio")) {
      return Transport.NIO;
    }
    if (!choice.equals("auto")) {
      throw new IllegalArgumentException(
          "-D" + TRANSPORT_PROPERTY + " must be auto or nio, not '" + choice + "'");
    }
    if (Transport.EPOLL.available()) {
      return Transport.EPOLL;
    }
    log.info(
        "native epoll transport unavailable ({}); using NIO, without TCP_NOTSENT_LOWAT",
        String.valueOf(Transport.EPOLL.unavailabilityCause()));
    return Transport.NIO;
  }

  /**
   * With {@code cluster.tls} the event bus's connections run TLS both ways: this member shows its
   * certificate and accepts only peers whose certificate the configured CA signed (client
   * authentication required), so a process that joins Hazelcast without one cannot read what the
   * node publishes nor reach its consumers. Vert.x checks no host names on these connections: the
   * CA alone decides who is a member.
   */
  public static EventBusOptions eventBusOptions(ClusterConfig cluster) {
    EventBusOptions options = new EventBusOptions().setHost(cluster.host()).setPort(0);
    if (!cluster.tlsOn()) {
      return options;
    }
    ClusterTlsConfig tls = cluster.tls();
    return options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setKeyPath(tls.key().toString())
                .setCertPath(tls.certificate().toString()))
        // PEM paths, not a TrustManager object: Vert.x copies these options through JSON into the
        // event bus's server and client options, and an object without a JSON form is dropped.
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.ca().toString()))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  static VertxOptions options() {
    MicrometerMetricsOptions metrics =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setJvmMetricsEnabled(true)
            // A unique name: BackendRegistries is JVM-wide and would otherwise share one registry.
            .setRegistryName("canopy-" + UUID.randomUUID())
            .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
            // Event-bus meters exist for the topic addresses only (TopicBusMetrics), so the
            // address label is bounded by the topic table.
            .addLabels(Label.EB_ADDRESS);
    return new VertxOptions().setMetricsOptions(metrics);
  }
}
