package network.canopy.p2p.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the overrides map from the `run` command's flags, so the CLI only passes its option values
 * through. Nulls mean "flag not given". Named flags are applied first, then --set entries in order
 * (a later entry wins); p2p.dial collects every --dial and --set p2p.dial value into one list.
 */
public final class CommandLineOverrides {
  private final Map<String, String> named = new LinkedHashMap<>();
  private final List<String> dials = new ArrayList<>();
  private final List<String> sets = new ArrayList<>();
  private boolean dialGiven;

  /** --data-dir DIR */
  public CommandLineOverrides dataDir(String dir) {
    return named(ConfigKey.DATA_DIR, dir);
  }

  /** --listen HOST:PORT */
  public CommandLineOverrides listen(String hostPort) {
    return named(ConfigKey.P2P_LISTEN, hostPort);
  }

  /** --admin HOST:PORT */
  public CommandLineOverrides admin(String hostPort) {
    return named(ConfigKey.ADMIN_LISTEN, hostPort);
  }

  /** --network NAME */
  public CommandLineOverrides network(String name) {
    return named(ConfigKey.NETWORK, name);
  }

  /** --cluster; false (flag absent) leaves cluster.enabled to the file or environment. */
  public CommandLineOverrides cluster(boolean cluster) {
    return cluster ? named(ConfigKey.CLUSTER_ENABLED, "true") : this;
  }

  /** --dial ID@HOST:PORT, repeatable; null or empty means none given. */
  public CommandLineOverrides dial(List<String> peers) {
    if (peers != null && !peers.isEmpty()) {
      dialGiven = true;
      dials.addAll(peers);
    }
    return this;
  }

  /** --set KEY=VALUE, repeatable; lists are comma-separated, topics a JSON array. */
  public CommandLineOverrides set(List<String> entries) {
    if (entries != null) {
      sets.addAll(entries);
    }
    return this;
  }

  /**
   * The key → text map for {@link ConfigSource#overrides()}. Keys are not checked here: the loader
   * reports unknown ones together with every other problem.
   *
   * @throws ConfigException when a --set entry is not KEY=VALUE
   */
  public Map<String, String> toMap() {
    Problems problems = new Problems();
    Map<String, String> out = new LinkedHashMap<>(named);
    List<String> dialValues = new ArrayList<>(dials);
    boolean anyDial = dialGiven;
    for (String entry : sets) {
      int eq = entry.indexOf('=');
      if (eq <= 0 || entry.substring(0, eq).isBlank()) {
        problems.add("--set", "expected KEY=VALUE, got '" + entry + "'");
        continue;
      }
      String key = entry.substring(0, eq).trim();
      String value = entry.substring(eq + 1);
      if (key.equals(ConfigKey.P2P_DIAL.key())) {
        anyDial = true;
        dialValues.add(value);
      } else {
        out.put(key, value);
      }
    }
    if (anyDial) {
      out.put(ConfigKey.P2P_DIAL.key(), joinNonBlank(dialValues));
    }
    problems.throwIfAny();
    return out;
  }

  private CommandLineOverrides named(ConfigKey key, String value) {
    if (value != null) {
      named.put(key.key(), value);
    }
    return this;
  }

  private static String joinNonBlank(List<String> values) {
    List<String> parts = new ArrayList<>();
    for (String v : values) {
      if (!v.isBlank()) {
        parts.add(v.trim());
      }
    }
    return String.join(",", parts);
  }
}
