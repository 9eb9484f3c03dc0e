package network.canopy.p2p.gossip;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The gossip ids a node has seen recently, bounded in entries and in age: what decides whether a
 * message is new. Thread-safe; shared by every connection's event loop.
 *
 * <p>Why a lock here rather than a hop to the PeerSet's context: the check runs once per received
 * gossip message on the receiving connection's loop, and the locked section is one hash lookup and
 * at most a few evictions (well under a microsecond), whereas a hop would add a task and a thread
 * switch per message and funnel every connection's gossip through one thread.
 */
final class SeenCache {

  /** A 256-bit id as four longs: about a third of the memory of its hex string. */
  record Key(long a, long b, long c, long d) {
    static Key of(byte[] id) {
      ByteBuffer buf = ByteBuffer.wrap(id);
      return new Key(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }
  }

  private final int maxEntries;
  private final long ttlMillis;
  private final LongSupplier clock;

  /** Insertion order = age order, so the oldest entry is always first. Values: first seen, ms. */
  private final LinkedHashMap<Key, Long> seen = new LinkedHashMap<>();

  SeenCache(int maxEntries, long ttlMillis, LongSupplier clock) {
    if (maxEntries < 1 || ttlMillis < 1) {
      throw new IllegalArgumentException("seen cache needs at least one entry and 1 ms");
    }
    this.maxEntries = maxEntries;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /**
   * Records {@code key} and returns true if it was not seen within the last TTL (nor pushed out by
   * newer ids); returns false for a duplicate. A duplicate does not refresh the entry's age, so a
   * message circulating forever cannot keep itself cached.
   */
  synchronized boolean firstSighting(Key key) {
    long now = clock.getAsLong();
    expire(now);
    if (seen.containsKey(key)) {
      return false;
    }
    seen.put(key, now);
    if (seen.size() > maxEntries) {
      Iterator<Key> oldest = seen.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    return true;
  }

  /**
   * Forgets {@code key}, so a later copy counts as new (a message dropped before it was judged).
   */
  synchronized void forget(Key key) {
    seen.remove(key);
  }

  /** True if {@code key} was seen within the TTL; records nothing. */
  synchronized boolean contains(Key key) {
    expire(clock.getAsLong());
    return seen.containsKey(key);
  }

  synchronized int size() {
    expire(clock.getAsLong());
    return seen.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<Key, Long>> it = seen.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue() < ttlMillis) {
        return;
      }
      it.remove();
    }
  }
}
