package network.canopy.p2p.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects validation problems so that one run reports all of them rather than the first. */
final class Problems {
  private final List<String> lines = new ArrayList<>();
  private final Set<String> keys = new HashSet<>();

  void add(String key, String message) {
    lines.add(key + ": " + message);
    keys.add(key);
  }

  /** Lets cross-field checks skip keys that already failed, so one typo yields one line. */
  boolean has(String key) {
    return keys.contains(key);
  }

  List<String> lines() {
    return List.copyOf(lines);
  }

  void throwIfAny() {
    if (!lines.isEmpty()) {
      throw new ConfigException(lines);
    }
  }
}
