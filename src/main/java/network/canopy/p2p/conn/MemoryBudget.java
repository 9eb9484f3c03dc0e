package network.canopy.p2p.conn;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node-wide memory budget ({@code p2p.memoryBudgetBytes}) in two halves: send queues draw from
 * one, received data (inboxes, reassembly) from the other, so a flood of inbound data can never
 * refuse the node's own sends, nor a backlog of sends stop it reading. Handshake buffers (a few
 * hundred bytes each) may use whatever room the whole budget has, so a spent receive half does not
 * lock newcomers out. Room is asked for before it is taken. Thread-safe: plain atomics, no lock.
 */
public final class MemoryBudget {

  /** What the budget pays for; each is shown in {@code /metrics}. */
  public enum Pool {
    SEND,
    INBOX,
    REASSEMBLY,
    HANDSHAKE;

    boolean received() {
      return this == INBOX || this == REASSEMBLY;
    }
  }

  /** The share of the limit sends may use; received data has the rest. */
  static final double SEND_SHARE = 0.5;

  /**
   * The largest holders of received data stop reading once it passes this fraction of its share,
   * before any connection is refused room; refusal (the share full) stops whichever connection
   * asks.
   */
  static final double PAUSE_FRACTION = 0.8;

  /** Reading resumes once received data is back under this fraction of its share. */
  static final double RESUME_FRACTION = 0.6;

  /**
   * Room for a whole announced message is taken ahead of its data only while received data stays
   * under this fraction of its share: below the pause threshold, so taking ahead never stops a
   * connection reading.
   */
  static final double AHEAD_FRACTION = 0.5;

  /** A budget never defaults below this, whatever the heap. */
  static final long MIN_DEFAULT = 16L << 20;

  private final long limit;
  private final long sendShare;
  private final long receiveShare;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
  private final AtomicLong handshakes = new AtomicLong();
  private final AtomicLong[] pools = new AtomicLong[Pool.values().length];
  private final AtomicInteger holders = new AtomicInteger();
  private final LongAdder refusedSends = new LongAdder();
  private final LongAdder refusedReceives = new LongAdder();
  private final LongAdder pausedReads = new LongAdder();
  private final LongAdder stalledCloses = new LongAdder();

  public MemoryBudget(long limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("memory budget must be positive: " + limit);
    }
    this.limit = limit;
    this.sendShare = (long) (limit * SEND_SHARE);
    this.receiveShare = limit - sendShare;
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

  /**
   * Takes {@code bytes} from {@code pool}'s half unless that would pass it; false = refused
   * (counted). Callers ask before they allocate.
   */
  public boolean tryAcquire(Pool pool, long bytes) {
    AtomicLong half = counter(pool);
    while (true) {
      long now = half.get();
      boolean room =
          pool == Pool.HANDSHAKE
              ? used() + bytes <= limit
              : now + bytes <= (pool == Pool.SEND ? sendShare : receiveShare);
      if (!room) {
        (pool == Pool.SEND ? refusedSends : refusedReceives).increment();
        return false;
      }
      if (half.compareAndSet(now, now + bytes)) {
        pools[pool.ordinal()].addAndGet(bytes);
        return true;
      }
    }
  }

  /**
   * Takes {@code bytes} of received data before it has arrived (the whole of an announced message)
   * if received data then stays under {@link #AHEAD_FRACTION} of its share; false costs nothing (no
   * refusal counted): the caller takes room as the data arrives instead.
   */
  public boolean tryAcquireAhead(long bytes) {
    while (true) {
      long now = received.get();
      if (now + bytes > receiveShare * AHEAD_FRACTION) {
        return false;
      }
      if (received.compareAndSet(now, now + bytes)) {
        pools[Pool.REASSEMBLY.ordinal()].addAndGet(bytes);
        return true;
      }
    }
  }

  /**
   * Counts {@code bytes} that are held whatever the limit (negative: frees them): the rest of a
   * frame already read when room was refused. The caller then stops reading.
   */
  public void add(Pool pool, long bytes) {
    if (bytes != 0) {
      counter(pool).addAndGet(bytes);
      pools[pool.ordinal()].addAndGet(bytes);
    }
  }

  public void release(Pool pool, long bytes) {
    add(pool, -bytes);
  }

  private AtomicLong counter(Pool pool) {
    return pool == Pool.SEND ? sent : pool == Pool.HANDSHAKE ? handshakes : received;
  }

  /** A connection starts or stops counting against the budget (for its fair share). */
  void holderStarted() {
    holders.incrementAndGet();
  }

  void holderStopped() {
    holders.decrementAndGet();
  }

  /**
   * Whether a connection holding {@code held} received bytes must stop reading: received data is
   * past {@link #PAUSE_FRACTION} of its share and this connection holds at least an equal share of
   * it, so the largest holders stop first and a peer holding little keeps its pace.
   */
  boolean mustPause(long held) {
    long now = received.get();
    return underPressure() && held > 0 && held * Math.max(1, holders.get()) >= now;
  }

  /** Whether a connection paused by {@link #mustPause} or by a refusal may read again. */
  boolean mayResume(long held) {
    long now = received.get();
    return now <= receiveShare * RESUME_FRACTION
        || (now <= receiveShare * PAUSE_FRACTION && held * Math.max(1, holders.get()) < now / 2);
  }

  /** Received data is past the pause threshold: stalled holders may be closed to make room. */
  boolean underPressure() {
    return received.get() > receiveShare * PAUSE_FRACTION;
  }

  void countPause() {
    pausedReads.increment();
  }

  void countStalledClose() {
    stalledCloses.increment();
  }

  public long limit() {
    return limit;
  }

  /** The most received data (inboxes, reassembly) may hold. */
  public long receiveShare() {
    return receiveShare;
  }

  /** The most send queues may hold. */
  public long sendShare() {
    return sendShare;
  }

  public long used() {
    return sent.get() + received.get() + handshakes.get();
  }

  public long used(Pool pool) {
    return pools[pool.ordinal()].get();
  }

  public long refusedSends() {
    return refusedSends.sum();
  }

  /** How many times received data was refused room (the asking connection then stopped reading). */
  public long refusedReceives() {
    return refusedReceives.sum();
  }

  /** How many times a connection stopped reading because the budget was spent. */
  public long pausedReads() {
    return pausedReads.sum();
  }

  /**
   * Connections closed for holding part of a message past the deadline while the budget was short.
   */
  public long stalledCloses() {
    return stalledCloses.sum();
  }
}
