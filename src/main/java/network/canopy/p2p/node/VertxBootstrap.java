package network.canopy.p2p.node;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
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
import io.vertx.core.transport.Transport;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.UUID;
import java.util.regex.Pattern;
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

  /** The event-bus addresses that keep their own series: {@code <prefix>.topic.<name>}. */
  private static final Pattern TOPIC_ADDRESS = Pattern.compile(".+\\.topic\\..*");

  private VertxBootstrap() {}

  public static PrometheusMeterRegistry newRegistry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    // Folding every non-topic address into "_other" (below) made each consumer registered on such
    // an address register the "_other" handlers and pending gauges again, which Micrometer refuses
    // with a warning at every start. Those two gauges are kept for the topic addresses only; the
    // counters still fold. Added first, so the filter sees addresses before they are folded.
    registry.config().meterFilter(MeterFilter.deny(VertxBootstrap::foldedGauge));
    return registry;
  }

  private static boolean foldedGauge(Meter.Id id) {
    String address = id.getTag(Label.EB_ADDRESS.toString());
    return (id.getName().equals("vertx.eventbus.handlers")
            || id.getName().equals("vertx.eventbus.pending"))
        && address != null
        && !TOPIC_ADDRESS.matcher(address).matches();
  }

  /** A standalone (non-clustered) Vert.x instance recording into {@code registry}. */
  public static Vertx create(PrometheusMeterRegistry registry) {
    return builder(registry).build();
  }

  /** A builder with this node's Vert.x options and metrics recorded into {@code registry}. */
  public static VertxBuilder builder(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(options())
        .withMetrics(new MicrometerMetricsFactory(registry))
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
        .withMetrics(new MicrometerMetricsFactory(registry))
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
            // Per-address event-bus metrics only for the topic addresses: the node reads their
            // "pending" gauge to hold back when applications fall behind. Every other address
            // (reply
            // addresses are unbounded) is folded into one value.
            .addLabels(Label.EB_ADDRESS)
            .addLabelMatch(
                new Match()
                    .setDomain(MetricsDomain.EVENT_BUS)
                    .setLabel(Label.EB_ADDRESS.toString())
                    .setType(MatchType.REGEX)
                    .setValue("(?!" + TOPIC_ADDRESS.pattern() + ").*")
                    .setAlias("_other"));
    return new VertxOptions().setMetricsOptions(metrics);
  }
}
