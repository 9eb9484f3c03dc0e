package network.canopy.p2p.sim;

import java.util.BitSet;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What each simulated application saw: for every broadcast message (by gossip id), when it was
 * sent, from which node, and how many times and when each node's application received it.
 * Thread-safe: written by every node's topic consumer.
 */
public final class DeliveryLog {

  /** One broadcast message and its deliveries. */
  public static final class Track {
    public final String id;
    public final int origin;
    public final long sentAtNanos;
    private final AtomicIntegerArray deliveries;
    private final AtomicLongArray firstAtNanos;

    Track(String id, int origin, long sentAtNanos, int nodes) {
      this.id = id;
      this.origin = origin;
      this.sentAtNanos = sentAtNanos;
      this.deliveries = new AtomicIntegerArray(nodes);
      this.firstAtNanos = new AtomicLongArray(nodes);
    }

    public int deliveries(int node) {
      return deliveries.get(node);
    }

    /** The nodes whose application received it at least once. */
    public BitSet reached() {
      BitSet out = new BitSet();
      for (int i = 0; i < deliveries.length(); i++) {
        if (deliveries.get(i) > 0) {
          out.set(i);
        }
      }
      return out;
    }

    /** Time from send to the last first-delivery among {@code nodes}, or -1 if one is missing. */
    public long nanosToReach(BitSet nodes) {
      long last = sentAtNanos;
      for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
        if (deliveries.get(i) == 0) {
          return -1;
        }
        last = Math.max(last, firstAtNanos.get(i));
      }
      return last - sentAtNanos;
    }

    void delivered(int node, long atNanos) {
      if (deliveries.getAndIncrement(node) == 0) {
        firstAtNanos.set(node, atNanos);
      }
    }
  }

  private final int nodes;
  private final Map<String, Track> tracks = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();

  public DeliveryLog(int nodes) {
    this.nodes = nodes;
  }

  /** Called before the broadcast request, so no delivery can come before its track exists. */
  public Track sent(String id, int origin) {
    Track track = new Track(id, origin, System.nanoTime(), nodes);
    tracks.put(id, track);
    return track;
  }

  public void delivered(int node, String id) {
    Track track = id == null ? null : tracks.get(id);
    if (track == null) {
      untracked.incrementAndGet();
    } else {
      track.delivered(node, System.nanoTime());
    }
  }

  public Track track(String id) {
    return tracks.get(id);
  }

  public Collection<Track> tracks() {
    return tracks.values();
  }

  /** Deliveries of messages nobody here broadcast (or without a message id). */
  public long untracked() {
    return untracked.get();
  }
}
