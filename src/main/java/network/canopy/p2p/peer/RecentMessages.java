package network.canopy.p2p.peer;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * A bounded ring of what was recently received on one topic (id, sender, size, SHA-256, time), for
 * {@code GET /api/recent}. Written from every connection's event loop, so access is synchronized;
 * it holds digests, never payloads. The id is the gossip message id on gossip topics, the payload's
 * SHA-256 on others; a large payload's digest appears a moment after the entry.
 */
final class RecentMessages {

  /** Entries kept per topic; {@code /api/recent}'s limit is capped to this. */
  static final int CAPACITY = 256;

  /**
   * One received message; its digest may be filled in later (large payloads are hashed off-loop).
   */
  static final class Entry {
    final String peer;
    final int size;
    final long receivedAt;

    /** The gossip message id; null on topics that are not gossiped (the digest stands in). */
    volatile String id;

    volatile String sha256;

    Entry(String peer, int size, long receivedAt) {
      this.peer = peer;
      this.size = size;
      this.receivedAt = receivedAt;
    }
  }

  private final ArrayDeque<Entry> entries = new ArrayDeque<>(CAPACITY);

  /** Records a message; the caller sets {@link Entry#sha256} now or once computed. */
  synchronized Entry add(String peer, int size, long receivedAtMillis) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    Entry entry = new Entry(peer, size, receivedAtMillis);
    entries.addLast(entry);
    return entry;
  }

  /** The newest {@code limit} entries, newest first. */
  synchronized JsonArray newest(int limit) {
    JsonArray out = new JsonArray();
    Iterator<Entry> it = entries.descendingIterator();
    while (it.hasNext() && out.size() < limit) {
      Entry e = it.next();
      String sha256 = e.sha256;
      out.add(
          new JsonObject()
              .put("id", e.id == null ? sha256 : e.id)
              .put("peer", e.peer)
              .put("size", e.size)
              .put("sha256", sha256)
              .put("receivedAt", e.receivedAt));
    }
    return out;
  }
}
