package network.canopy.p2p.peer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A bounded ring of what was recently received on one topic (id, sender, size, SHA-256, time), for
 * {@code GET /api/recent}. Written from every connection's event loop, so access is synchronized;
 * it holds digests, never payloads.
 */
final class RecentMessages {

  /** Entries kept per topic; {@code /api/recent}'s limit is capped to this. */
  static final int CAPACITY = 256;

  private record Entry(String id, String peer, int size, String sha256, long receivedAt) {
  }

  private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

  synchronized void add(String id, String peer, int size, String sha256, long receivedAtMillis) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(id, peer, size, sha256, receivedAtMillis));
  }

  /** The newest {@code limit} entries, newest first. */
  synchronized JsonArray newest(int limit) {
    JsonArray out = new JsonArray();
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      Entry e = it.next();
      out.add(new JsonObject()
          .put("id", e.id())
          .put("peer", e.peer())
          .put("size", e.size())
          .put("sha256", e.sha256())
          .put("receivedAt", e.receivedAt()));
    }
    return out;
  }
}
