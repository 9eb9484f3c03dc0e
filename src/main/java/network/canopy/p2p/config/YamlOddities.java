package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts out what YAML can express but a config tree cannot hold, each reported under its key (and
 * turns keys that are numbers or booleans into their text): values that contain themselves (an
 * alias inside its own anchor, {@code dir: &a [x, *a]}) and null keys ({@code ~: 1}) in mappings
 * nested in lists, which the YAML store leaves unconverted. The rest of the parser, which prints
 * and walks values, then only sees finite trees of named keys. Both were found by fuzzing the
 * loader (they threw out of it instead of being refused).
 */
final class YamlOddities {
  private YamlOddities() {}

  static void cut(JsonObject merged, Problems problems) {
    Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(merged.getMap(), "", path, problems);
  }

  /** Depth-first; {@code path} holds the containers from the root down to {@code node}. */
  private static void walk(Object node, String key, Set<Object> path, Problems problems) {
    path.add(node);
    if (node instanceof Map<?, ?> map) {
      textKeys(map);
      for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<?, ?> entry = it.next();
        if (entry.getKey() == null) {
          problems.add(key.isEmpty() ? "(top level)" : topKey(key), "has an empty key (~ or null)");
          it.remove();
          continue;
        }
        String child = key.isEmpty() ? String.valueOf(entry.getKey()) : key + "." + entry.getKey();
        if (visitChild(entry.getValue(), child, path, problems)) {
          @SuppressWarnings("unchecked")
          Map.Entry<Object, Object> writable = (Map.Entry<Object, Object>) entry;
          writable.setValue(null);
        }
      }
    } else if (node instanceof List<?> list) {
      @SuppressWarnings("unchecked")
      List<Object> writable = (List<Object>) list;
      for (int i = 0; i < list.size(); i++) {
        if (visitChild(list.get(i), key + "[" + i + "]", path, problems)) {
          writable.set(i, null);
        }
      }
    }
    path.remove(node);
  }

  /** True when {@code value} is one of its own ancestors and must be cut. */
  private static boolean visitChild(Object value, String key, Set<Object> path, Problems problems) {
    Object container =
        value instanceof JsonObject o
            ? o.getMap()
            : value instanceof JsonArray a ? a.getList() : value;
    if (!(container instanceof Map<?, ?>) && !(container instanceof List<?>)) {
      return false;
    }
    if (path.contains(container)) {
      problems.add(topKey(key), "refers to itself (a YAML alias used inside its own anchor)");
      return true;
    }
    walk(container, key, path, problems);
    return false;
  }

  /**
   * Keys that are not text ({@code 1: x}) become their text, as the YAML store does for the
   * mappings it converts itself; left as numbers, they broke code reading field names as strings.
   */
  @SuppressWarnings("unchecked")
  private static void textKeys(Map<?, ?> map) {
    List<Object> other =
        map.keySet().stream()
            .filter(k -> k != null && !(k instanceof String))
            .map(k -> (Object) k)
            .toList();
    Map<Object, Object> writable = (Map<Object, Object>) map;
    for (Object key : other) {
      Object value = writable.remove(key);
      writable.putIfAbsent(String.valueOf(key), value);
    }
  }

  /** The key a user wrote, without list positions below it (topics[2].x names topics). */
  private static String topKey(String key) {
    int bracket = key.indexOf('[');
    return bracket < 0 ? key : key.substring(0, bracket);
  }
}
