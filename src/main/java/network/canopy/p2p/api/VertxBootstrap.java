package network.canopy.p2p.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.util.UUID;

/**
 * Builds the Vert.x instance a node runs on, with Micrometer metrics (Vert.x and JVM) recorded into
 * a Prometheus registry that belongs to that instance alone, so several instances in one JVM
 * (tests, simulations) never mix their figures.
 */
public final class VertxBootstrap {

  private VertxBootstrap() {
  }

  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /** A standalone (non-clustered) Vert.x instance recording into {@code registry}. */
  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(options())
        .withMetrics(new MicrometerMetricsFactory(registry))
        .build();
  }

  static VertxOptions options() {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
        .setEnabled(true)
        .setJvmMetricsEnabled(true)
        // A unique name: BackendRegistries is JVM-wide and would otherwise share one registry.
        .setRegistryName("canopy-" + UUID.randomUUID())
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    return new VertxOptions().setMetricsOptions(metrics);
  }
}
