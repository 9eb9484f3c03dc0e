package network.canopy.p2p.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Config layers built from fuzzer input: YAML text made of known keys with hostile values (wrong
 * types, nesting, anchors and aliases, huge numbers, tags) mixed with raw text, plus environment
 * variables and --set overrides, so the fuzzer spends its time past the YAML syntax.
 */
final class FuzzedConfigText {

  private static final ConfigKey[] KEYS = ConfigKey.values();

  private FuzzedConfigText() {}

  static String yaml(FuzzedDataProvider data) {
    StringBuilder yaml = new StringBuilder();
    int lines = data.consumeInt(0, 10);
    for (int i = 0; i < lines; i++) {
      switch (data.consumeInt(0, 5)) {
        case 0 -> yaml.append(data.consumeString(60)).append('\n');
        case 1 -> topics(data, yaml);
        default -> entry(data, yaml, KEYS[data.consumeInt(0, KEYS.length - 1)]);
      }
    }
    return yaml.toString();
  }

  static Map<String, String> env(FuzzedDataProvider data) {
    Map<String, String> env = new LinkedHashMap<>();
    int count = data.consumeInt(0, 2);
    for (int i = 0; i < count; i++) {
      env.put(KEYS[data.consumeInt(0, KEYS.length - 1)].envVar(), value(data));
    }
    return env;
  }

  static Map<String, String> overrides(FuzzedDataProvider data) {
    Map<String, String> overrides = new LinkedHashMap<>();
    int count = data.consumeInt(0, 2);
    for (int i = 0; i < count; i++) {
      String key =
          data.consumeBoolean()
              ? KEYS[data.consumeInt(0, KEYS.length - 1)].key()
              : data.consumeString(20);
      overrides.put(key, value(data));
    }
    return overrides;
  }

  private static void entry(FuzzedDataProvider data, StringBuilder yaml, ConfigKey key) {
    String k = key.key();
    int dot = k.indexOf('.');
    if (dot < 0 || data.consumeInt(0, 7) == 0) {
      yaml.append(k).append(": ").append(value(data)).append('\n');
    } else {
      yaml.append(k, 0, dot)
          .append(":\n  ")
          .append(k.substring(dot + 1))
          .append(": ")
          .append(value(data))
          .append('\n');
    }
  }

  private static void topics(FuzzedDataProvider data, StringBuilder yaml) {
    yaml.append("topics:\n");
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      yaml.append("  - name: ")
          .append(value(data))
          .append('\n')
          .append("    id: ")
          .append(value(data))
          .append('\n');
      if (data.consumeBoolean()) {
        yaml.append("    maxMessageSize: ").append(value(data)).append('\n');
      }
      if (data.consumeBoolean()) {
        yaml.append("    priority: ")
            .append(value(data))
            .append('\n')
            .append("    gossip: ")
            .append(value(data))
            .append('\n');
      }
      if (data.consumeInt(0, 7) == 0) {
        yaml.append("    ")
            .append(data.consumeString(12))
            .append(": ")
            .append(value(data))
            .append('\n');
      }
    }
  }

  private static String value(FuzzedDataProvider data) {
    return switch (data.consumeInt(0, 11)) {
      case 0 -> Long.toString(data.consumeLong());
      case 1 -> Integer.toString(data.consumeInt(-2, 70_000));
      case 2 -> "\"" + data.consumeString(30).replace("\"", "") + "\"";
      case 3 -> "[" + data.consumeString(20) + ", " + data.consumeInt() + "]";
      case 4 ->
          data.consumeBoolean()
              ? "{a: " + data.consumeString(10) + "}"
              : "[{~: " + data.consumeInt() + "}]";
      case 5 -> data.consumeBoolean() ? "true" : "~";
      case 6 -> "127.0.0.1:" + data.consumeInt(-1, 70_000);
      case 7 -> "&a [x, *a]";
      case 8 -> "!!binary " + data.consumeString(16);
      case 9 -> "1e" + data.consumeInt(0, 400);
      default -> data.consumeString(40);
    };
  }
}
