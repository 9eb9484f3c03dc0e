package network.canopy.p2p.gossip;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.ToLongFunction;

/**
 * Payloads of recently forwarded lazy-topic messages, kept to answer GRAFTs: bounded in bytes and
 * in age, oldest out first. Confined to the routing core's lock.
 */
final class PayloadStore<M> {

  private record Entry<M>(M payload, long size, long storedAt) {}

  private final LinkedHashMap<SeenCache.Key, Entry<M>> entries = new LinkedHashMap<>();
  private final long maxBytes;
  private final long maxMillis;
  private final ToLongFunction<M> sizeOf;
  private long bytes;

  PayloadStore(long maxBytes, long maxMillis, ToLongFunction<M> sizeOf) {
    this.maxBytes = maxBytes;
    this.maxMillis = maxMillis;
    this.sizeOf = sizeOf;
  }

  void put(SeenCache.Key key, M payload, long now) {
    long size = sizeOf.applyAsLong(payload);
    if (size > maxBytes || entries.containsKey(key)) {
      return;
    }
    entries.put(key, new Entry<>(payload, size, now));
    bytes += size;
    trim(now);
  }

  /** The payload, or null when it was never stored or has been pushed out. */
  M get(SeenCache.Key key, long now) {
    trim(now);
    Entry<M> e = entries.get(key);
    return e == null ? null : e.payload();
  }

  long bytes() {
    return bytes;
  }

  private void trim(long now) {
    Iterator<Entry<M>> it = entries.values().iterator();
    while (it.hasNext()) {
      Entry<M> oldest = it.next();
      if (bytes <= maxBytes && now - oldest.storedAt() < maxMillis) {
        return;
      }
      bytes -= oldest.size();
      it.remove();
    }
  }
}
