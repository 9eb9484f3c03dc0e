package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns flat {@code key → text} settings (environment variables, command-line overrides) into the
 * file's nested layout, so vertx-config can merge them as ordinary JSON layers. Values stay text;
 * the parser types them by key.
 */
final class StringLayers {
  private static final String ENV_PREFIX = "P2P_";

  private StringLayers() {}

  /**
   * Reads the variables derived from known keys; any other {@code P2P_*} variable is a typo
   * (config.yaml promises unknown keys are errors) and reported, never silently ignored.
   */
  static JsonObject fromEnv(Map<String, String> env, Problems problems) {
    JsonObject out = new JsonObject();
    Map<String, ConfigKey> known = new HashMap<>();
    for (ConfigKey key : ConfigKey.values()) {
      known.put(key.envVar(), key);
    }
    new TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (!name.startsWith(ENV_PREFIX)) {
                return;
              }
              ConfigKey key = known.get(name);
              if (key != null) {
                put(out, key, value);
              } else {
                problems.add(
                    name,
                    "unknown environment variable: no config key is spelled so" + suggestion(name));
              }
            });
    return out;
  }

  /** " (did you mean P2P_P2P_MAXINBOUND?)" for the known key's variable nearest to {@code name}. */
  private static String suggestion(String name) {
    String asKey = name.substring(ENV_PREFIX.length()).replace('_', '.');
    return UnknownKeys.closest(asKey)
        .flatMap(ConfigKey::byKey)
        .map(k -> " (did you mean " + k.envVar() + "?)")
        .orElse("");
  }

  /** Unknown keys are reported (named as given, "from --set") rather than dropped. */
  static JsonObject fromOverrides(Map<String, String> overrides, Problems problems) {
    return fromOverrides(overrides, problems, "--set");
  }

  /**
   * As {@link #fromOverrides(Map, Problems)}; {@code origin} names where the settings came from.
   */
  static JsonObject fromOverrides(Map<String, String> overrides, Problems problems, String origin) {
    JsonObject out = new JsonObject();
    overrides.forEach(
        (name, value) -> {
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
