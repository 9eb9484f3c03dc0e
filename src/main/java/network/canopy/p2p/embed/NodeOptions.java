package network.canopy.p2p.embed;

import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Public API: the configuration of an embedded node, built in code. Unset keys keep the built-in
 * defaults of conf/config.yaml; no config file or environment variable is read.
 */
public final class NodeOptions {

  private final Map<String, String> settings = new LinkedHashMap<>();
  private MeterRegistry registry;

  /**
   * Holds {@code node.key} and {@code peerbook.json}: one directory per node (key {@code dataDir}).
   */
  public NodeOptions dataDir(Path dir) {
    return set("dataDir", dir.toString());
  }

  /** P2P listen address {@code HOST:PORT}, port 0 = any free port (key {@code p2p.listen}). */
  public NodeOptions listen(String hostPort) {
    return set("p2p.listen", hostPort);
  }

  /** Admin HTTP address {@code HOST:PORT}, port 0 = any free port (key {@code admin.listen}). */
  public NodeOptions admin(String hostPort) {
    return set("admin.listen", hostPort);
  }

  /**
   * Starts every event-bus address of the node; distinct per node in one Vert.x (key {@code
   * eventBus.prefix}).
   */
  public NodeOptions eventBusPrefix(String prefix) {
    return set("eventBus.prefix", prefix);
  }

  /** Network name; nodes of different networks never connect (key {@code network}). */
  public NodeOptions network(String name) {
    return set("network", name);
  }

  /** Peers to keep connected, each {@code ID@HOST:PORT} (key {@code p2p.dial}). */
  public NodeOptions dial(String... peers) {
    return set("p2p.dial", String.join(",", Arrays.asList(peers)));
  }

  /**
   * Any config key of conf/config.yaml, with its value as text as for {@code --set} (lists
   * comma-separated).
   */
  public NodeOptions set(String key, String value) {
    settings.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
    return this;
  }

  /**
   * Where the node records its metrics (served at the admin {@code /metrics} when it is a
   * Prometheus registry). Default: a Prometheus registry of the node's own. Give the registry the
   * Vert.x instance records into (see {@link CanopyNode#vertxBuilder}) so the node can see when the
   * application's consumers fall behind and hold messages back.
   */
  public NodeOptions meterRegistry(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
    return this;
  }

  /** A copy of the settings made so far, key → text. */
  public Map<String, String> settings() {
    return Map.copyOf(settings);
  }

  MeterRegistry meterRegistry() {
    return registry;
  }
}
