package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;

/**
 * Mutual TLS on the clustered event bus: this member's private key and certificate and the CA that
 * every member's certificate must be signed by, all PEM files. A path is null when not configured;
 * when {@code enabled} (and the cluster is), the parser has made sure all three are set.
 */
public record ClusterTlsConfig(boolean enabled, Path key, Path certificate, Path ca) {
  public static final ClusterTlsConfig OFF = new ClusterTlsConfig(false, null, null, null);

  public JsonObject toJson() {
    return new JsonObject()
        .put("enabled", enabled)
        .put("key", text(key))
        .put("certificate", text(certificate))
        .put("ca", text(ca));
  }

  private static String text(Path path) {
    return path == null ? "" : path.toString();
  }
}
