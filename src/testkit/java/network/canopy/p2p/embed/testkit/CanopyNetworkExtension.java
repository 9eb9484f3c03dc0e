package network.canopy.p2p.embed.testkit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.embed.CanopyNode;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Test kit: a JUnit 5 extension giving each test a fresh, connected {@link CanopyTestNetwork} on a
 * Vert.x of its own, closed after the test. Register it on a field, {@code @RegisterExtension
 * CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(3);}, and take {@code
 * canopy.network()} or a {@code CanopyTestNetwork} test-method parameter.
 */
public final class CanopyNetworkExtension
    implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

  private final int size;
  private final Map<String, String> settings;
  private Vertx vertx;
  private CanopyTestNetwork network;

  private CanopyNetworkExtension(int size, Map<String, String> settings) {
    this.size = size;
    this.settings = Map.copyOf(settings);
  }

  /** {@code size} nodes with the kit's settings. */
  public static CanopyNetworkExtension nodes(int size) {
    return new CanopyNetworkExtension(size, Map.of());
  }

  /**
   * {@code size} nodes, each with {@code settings} (config keys as for {@code --set}) on top of the
   * kit's.
   */
  public static CanopyNetworkExtension nodes(int size, Map<String, String> settings) {
    return new CanopyNetworkExtension(size, settings);
  }

  /** The current test's network. */
  public CanopyTestNetwork network() {
    if (network == null) {
      throw new IllegalStateException("no network outside a test");
    }
    return network;
  }

  /**
   * The Vert.x instance the current test's nodes run on (the same as {@code network().vertx()}).
   */
  public Vertx vertx() {
    return network().vertx();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = CanopyNode.vertxBuilder(registry).build();
    try {
      network = CanopyTestNetwork.start(vertx, size, settings, registry);
    } catch (Exception | AssertionError e) {
      closeVertx();
      throw e;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    try {
      if (network != null) {
        network.close();
      }
    } finally {
      network = null;
      closeVertx();
    }
  }

  private void closeVertx() throws Exception {
    Vertx v = vertx;
    vertx = null;
    if (v != null) {
      v.close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(CanopyTestNetwork.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == CanopyTestNetwork.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return network();
  }
}
