package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds values that contain themselves, which a YAML alias inside its own anchor produces
 * ({@code dir: &a [x, *a]}): each is reported under its key and cut out, so the rest of the parser,
 * which prints and walks values, only ever sees finite trees. Found by fuzzing the loader.
 */
final class SelfReferences {
  private SelfReferences() {}

  static void cut(JsonObject merged, Problems problems) {
    Set<Object> path = Collections.newSetFromMap(new IdentityHashMap<>());
    walk(merged.getMap(), "", path, problems);
  }

  /** Depth-first; {@code path} holds the containers from the root down to {@code node}. */
  private static void walk(Object node, String key, Set<Object> path, Problems problems) {
    path.add(node);
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> entry : map.entrySet()) {
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
    Object container = value instanceof JsonObject o ? o.getMap()
        : value instanceof JsonArray a ? a.getList()
        : value;
    if (!(container instanceof Map<?, ?>) && !(container instanceof List<?>)) {
      return false;
    }
    if (path.contains(container)) {
      String top = key.replaceFirst("\\[.*$", "");
      problems.add(top, "refers to itself (a YAML alias used inside its own anchor)");
      return true;
    }
    walk(container, key, path, problems);
    return false;
  }
}
