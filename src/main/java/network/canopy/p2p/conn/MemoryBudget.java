package network.canopy.p2p.conn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node-wide memory budget ({@code p2p.memoryBudgetBytes}) that every connection's send queues,
 * inboxes and reassembly draw from (HANDSHAKE is reserved: handshake buffers do not draw yet). A send that would pass it is
 * refused; data that has already arrived is counted, and once it passes {@link #PAUSE_FRACTION} of
 * the budget the connections holding at least their share stop reading until it is back under
 * {@link #RESUME_FRACTION} — so received data alone never takes the room sends need.
 * Thread-safe: plain atomics, no lock.
 */
public final class MemoryBudget {

  /** What the budget pays for; each is shown in {@code /metrics}. */
  public enum Pool { SEND, INBOX, REASSEMBLY, HANDSHAKE }

  /**
   * The largest holders stop reading once the budget is used past this fraction of its limit. Low,
   * because one frame can double what a connection holds (a reassembly array grows by doubling),
   * so received data reaches at most about twice this, and sends keep the rest.
   */
  static final double PAUSE_FRACTION = 0.4;
  /** Reading resumes once the budget is back under this fraction of its limit. */
  static final double RESUME_FRACTION = 0.3;
  /** A budget never defaults below this, whatever the heap. */
  static final long MIN_DEFAULT = 16L << 20;

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private final AtomicLong[] pools = new AtomicLong[Pool.values().length];
  private final AtomicInteger holders = new AtomicInteger();
  private final LongAdder refusedSends = new LongAdder();
  private final LongAdder pausedReads = new LongAdder();

  public MemoryBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("memory budget must be positive: " + limit);
    }
    this.limit = limit;
    for (int i = 0; i < pools.length; i++) {
      pools[i] = new AtomicLong();
    }
  }

  /** A budget that never runs out (tests and tools that wire connections by hand). */
  public static MemoryBudget unlimited() {
    return new MemoryBudget(Long.MAX_VALUE / 4);
  }

  /**
   * The default for {@code p2p.memoryBudgetBytes} = 0: a quarter of the max heap (at least 16 MiB),
   * leaving the rest for the application's messages, the JVM and everything else the node holds.
   */
  public static long defaultFor(long maxHeapBytes) {
    return Math.max(MIN_DEFAULT, maxHeapBytes / 4);
  }

  /** Takes {@code bytes} for a send queue unless that passes the limit; false = refused (counted). */
  boolean tryAcquire(Pool pool, long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > limit) {
        refusedSends.increment();
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        pools[pool.ordinal()].addAndGet(bytes);
        return true;
      }
    }
  }

  /** Counts {@code bytes} (negative: frees them) that are held whatever the limit: data already in. */
  public void add(Pool pool, long bytes) {
    if (bytes != 0) {
      used.addAndGet(bytes);
      pools[pool.ordinal()].addAndGet(bytes);
    }
  }

  void release(Pool pool, long bytes) {
    add(pool, -bytes);
  }

  /** A connection starts or stops counting against the budget (for its fair share). */
  void holderStarted() {
    holders.incrementAndGet();
  }

  void holderStopped() {
    holders.decrementAndGet();
  }

  /**
   * Whether a connection holding {@code held} bytes must stop reading: the budget is used past
   * {@link #PAUSE_FRACTION} and it holds at least an equal share of what is used, so the largest
   * holders stop first and a peer holding little keeps its pace.
   */
  boolean mustPause(long held) {
    long now = used.get();
    return now > limit * PAUSE_FRACTION && held > 0 && held * Math.max(1, holders.get()) >= now;
  }

  /** Whether a connection paused by {@link #mustPause} may read again. */
  boolean mayResume(long held) {
    long now = used.get();
    return now <= limit * RESUME_FRACTION || held * Math.max(1, holders.get()) < now / 2;
  }

  void countPause() {
    pausedReads.increment();
  }

  public long limit() {
    return limit;
  }

  public long used() {
    return used.get();
  }

  public long used(Pool pool) {
    return pools[pool.ordinal()].get();
  }

  public long refusedSends() {
    return refusedSends.sum();
  }

  /** How many times a connection stopped reading because the budget was spent. */
  public long pausedReads() {
    return pausedReads.sum();
  }
}
