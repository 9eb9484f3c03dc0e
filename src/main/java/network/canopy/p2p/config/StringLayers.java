package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * Turns flat {@code key → text} settings (environment variables, command-line overrides) into the
 * file's nested layout, so vertx-config can merge them as ordinary JSON layers. Values stay text;
 * the parser types them by key.
 */
final class StringLayers {
  private StringLayers() {}

  /** Reads only the variables derived from known keys; other P2P_* variables are not guessed at. */
  static JsonObject fromEnv(Map<String, String> env) {
    JsonObject out = new JsonObject();
    for (ConfigKey key : ConfigKey.values()) {
      String value = env.get(key.envVar());
      if (value != null) {
        put(out, key, value);
      }
    }
    return out;
  }

  /** Unknown keys are reported (named as given, "from --set") rather than dropped. */
  static JsonObject fromOverrides(Map<String, String> overrides, Problems problems) {
    return fromOverrides(overrides, problems, "--set");
  }

  /** As {@link #fromOverrides(Map, Problems)}; {@code origin} names where the settings came from. */
  static JsonObject fromOverrides(Map<String, String> overrides, Problems problems, String origin) {
    JsonObject out = new JsonObject();
    overrides.forEach((name, value) -> {
      Optional<ConfigKey> key = ConfigKey.byKey(name.trim());
      if (key.isPresent()) {
        put(out, key.get(), value == null ? "" : value);
      } else {
        problems.add(name, UnknownKeys.message(name) + " (from " + origin + ")");
      }
    });
    return out;
  }

  private static void put(JsonObject root, ConfigKey key, String value) {
    JsonObject section = root;
    String parent = "";
    for (String path : key.enclosingSections()) {
      String name = path.substring(parent.isEmpty() ? 0 : parent.length() + 1);
      JsonObject nested = section.getJsonObject(name);
      if (nested == null) {
        nested = new JsonObject();
        section.put(name, nested);
      }
      section = nested;
      parent = path;
    }
    section.put(key.leaf(), value);
  }
}
