package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Clustered event bus (Hazelcast): whether it is on, the cluster name (members of other names never
 * join), the interface and port Hazelcast binds (it auto-increments from {@code port} when taken),
 * the TCP-IP join members (bare addresses) and mutual TLS on the event bus's own connections.
 */
public record ClusterConfig(
    boolean enabled,
    String name,
    String host,
    int port,
    List<String> members,
    ClusterTlsConfig tls) {
  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(tls, "tls");
    members = List.copyOf(members);
  }

  /** Whether the event bus runs TLS: only a clustered node has one to protect. */
  public boolean tlsOn() {
    return enabled && tls.enabled();
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("name", name)
        .put("host", host)
        .put("port", port)
        .put("members", new JsonArray(new ArrayList<>(members)))
        .put("tls", tls.toJson());
  }
}
