package network.canopy.p2p.config;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Types and validates the {@code cluster} section, {@code cluster.tls} included (no file access).
 */
final class ClusterParser {
  static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private ClusterParser() {}

  /** Hazelcast needs a real port to auto-increment from, so 0 is not accepted here. */
  static ClusterConfig parse(FieldReader r) {
    boolean enabled = r.boolOf(ConfigKey.CLUSTER_ENABLED);
    String name = r.nonEmptyString("name");
    if (!name.isEmpty() && !CLUSTER_NAME.matcher(name).matches()) {
      r.problems()
          .add(r.key("name"), "'" + name + "' must be 1-64 characters of A-Z a-z 0-9 _ . -");
    }
    String host = r.nonEmptyString("host");
    if (!host.isEmpty() && IpLiterals.hostProblem(host) != null) {
      r.problems().add(r.key("host"), IpLiterals.hostProblem(host));
    }
    int port = r.intOf(ConfigKey.CLUSTER_PORT);
    List<String> members = r.listOf(ConfigKey.CLUSTER_MEMBERS);
    for (int i = 0; i < members.size(); i++) {
      String problem = IpLiterals.hostProblem(members.get(i));
      if (problem != null) {
        r.problems()
            .add(
                r.key("members") + "[" + i + "]",
                problem + " (members are bare addresses, no port)");
      }
    }
    return new ClusterConfig(enabled, name, host, port, members, tls(r.section("tls"), enabled));
  }

  /**
   * TLS without all three files would either not start or not authenticate: each one is required.
   */
  private static ClusterTlsConfig tls(FieldReader r, boolean clusterEnabled) {
    boolean enabled = r.boolOf(ConfigKey.CLUSTER_TLS_ENABLED);
    Path key = required(r, "key", "this member's private key", enabled && clusterEnabled);
    Path certificate =
        required(r, "certificate", "this member's certificate", enabled && clusterEnabled);
    Path ca =
        required(
            r,
            "ca",
            "the CA certificate every member's certificate is signed by",
            enabled && clusterEnabled);
    return new ClusterTlsConfig(enabled, key, certificate, ca);
  }

  private static Path required(FieldReader r, String field, String what, boolean needed) {
    Path path = r.optionalPath(field).orElse(null);
    if (path == null && needed && !r.problems().has(r.key(field))) {
      r.problems()
          .add(
              r.key(field),
              "required when " + r.key("enabled") + " is true (PEM file of " + what + ")");
    }
    return path;
  }
}
