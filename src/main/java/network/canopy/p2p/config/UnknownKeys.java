package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reports keys that are not config keys, so a typo in the file or in --set is an error instead of a
 * silently ignored setting. Suggests the nearest known key when one is close.
 */
final class UnknownKeys {
  private static final int MAX_SUGGESTION_DISTANCE = 2;

  private UnknownKeys() {}

  static void check(JsonObject root, Problems problems) {
    checkIn(root, "", problems);
  }

  private static void checkIn(JsonObject json, String path, Problems problems) {
    for (String field : json.fieldNames()) {
      String key = path.isEmpty() ? field : path + "." + field;
      // A literal dotted name ("cluster.tls:") is never read as a section, so it must not pass as
      // one.
      boolean section = field.indexOf('.') < 0 && ConfigKey.sections().contains(key);
      if (section && json.getValue(field) instanceof JsonObject nested) {
        checkIn(nested, key, problems);
      } else if (!section) {
        checkOne(key, path, field.indexOf('.') >= 0, problems);
      }
    }
  }

  private static void checkOne(String key, String path, boolean dottedName, Problems problems) {
    if (dottedName && (ConfigKey.byKey(key).isPresent() || ConfigKey.sections().contains(key))) {
      // YAML allows "p2p.listen:" as one literal name, but the loader only reads nested sections.
      String section = key.substring(0, key.indexOf('.', path.isEmpty() ? 0 : path.length() + 1));
      problems.add(
          key,
          "unknown key (write it nested: '"
              + section.replace(".", ":' then '")
              + ":' then '"
              + key.substring(section.length() + 1)
              + ":' indented below it)");
    } else if (dottedName || ConfigKey.byKey(key).isEmpty()) {
      problems.add(key, message(key));
    }
  }

  /** "unknown key", plus "did you mean ..." when a known key is within two edits. */
  static String message(String key) {
    return closest(key)
        .map(best -> "unknown key (did you mean " + best + "?)")
        .orElse("unknown key");
  }

  /** The known key or section within two edits of {@code key} (case-insensitive), if any. */
  static Optional<String> closest(String key) {
    String best = null;
    int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
    for (String candidate : candidates()) {
      int d = distance(key.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  private static List<String> candidates() {
    List<String> out = new ArrayList<>(ConfigKey.sections());
    for (ConfigKey k : ConfigKey.values()) {
      out.add(k.key());
    }
    return out;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
