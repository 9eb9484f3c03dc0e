package network.canopy.p2p.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns repeated {@code /api/recent} answers into a feed of messages not shown before, for the
 * dashboard stream, and keeps the last few for clients that connect later. Bounded: it remembers
 * one answer per topic and {@link #BACKLOG} messages.
 */
public final class RecentFeed {

  public static final int BACKLOG = 30;

  private final Map<String, Set<String>> lastSeen = new HashMap<>();
  private final ArrayDeque<JsonObject> backlog = new ArrayDeque<>(BACKLOG);

  /**
   * The entries of {@code newestFirst} that the previous answer for {@code topic} did not hold,
   * oldest first, each tagged with its topic. The key leaves out the digest: large payloads get
   * theirs a moment later, and the same message must not appear twice.
   */
  public List<JsonObject> fresh(String topic, JsonArray newestFirst) {
    Set<String> previous = lastSeen.getOrDefault(topic, Set.of());
    Set<String> current = new HashSet<>();
    List<JsonObject> fresh = new ArrayList<>();
    for (int i = newestFirst.size() - 1; i >= 0; i--) {
      if (!(newestFirst.getValue(i) instanceof JsonObject entry)) {
        continue;
      }
      String key =
          entry.getValue("peer")
              + "|"
              + entry.getValue("size")
              + "|"
              + entry.getValue("receivedAt");
      current.add(key);
      if (!previous.contains(key)) {
        JsonObject tagged = entry.copy().put("topic", topic);
        fresh.add(tagged);
        remember(tagged);
      }
    }
    lastSeen.put(topic, current);
    return fresh;
  }

  /** The last messages shown, oldest first. */
  public JsonArray backlog() {
    return new JsonArray(new ArrayList<>(backlog));
  }

  private void remember(JsonObject entry) {
    if (backlog.size() == BACKLOG) {
      backlog.removeFirst();
    }
    backlog.addLast(entry);
  }
}
