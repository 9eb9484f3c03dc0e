package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Test helpers: the defaults with some keys changed, and the problems a config yields. */
final class ConfigJson {
  private ConfigJson() {}

  /** The defaults with {@code dottedKey} (section.leaf or top-level) set to {@code value}. */
  static JsonObject defaultsWith(String dottedKey, Object value) {
    return set(ConfigDefaults.json(), dottedKey, value);
  }

  static JsonObject set(JsonObject json, String dottedKey, Object value) {
    int dot = dottedKey.indexOf('.');
    if (dot < 0) {
      json.put(dottedKey, value);
    } else {
      json.getJsonObject(dottedKey.substring(0, dot)).put(dottedKey.substring(dot + 1), value);
    }
    return json;
  }

  static List<String> problems(JsonObject json) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigParser.parse(json));
    if (e == null) {
      throw new AssertionError("expected a ConfigException for " + json.encode());
    }
    return e.problems();
  }
}
