package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What one topic's application has not finished: messages (and bytes) published to it and not yet
 * acknowledged on {@code <prefix>.topic.<name>.ack}, counted the same way for local and clustered
 * consumers. Until the first acknowledgement arrives the topic's consumers are taken to be plain
 * local ones, measured by Vert.x's own {@code side=local} pending gauge. Thread-safe.
 */
final class TopicCredit {

  /** Sizes of the last this-many published messages are kept to count unacknowledged bytes. */
  private static final int RING = 4096;

  private final MeterRegistry registry;
  private final String address;

  /** Sequence of the last message published (the first is 1). */
  private final AtomicLong published = new AtomicLong();

  private final AtomicLong acked = new AtomicLong();

  /** Cumulative bytes published up to and including sequence s, at index s % RING. */
  private final AtomicLongArray cumulativeBytes = new AtomicLongArray(RING);

  private final AtomicLong totalBytes = new AtomicLong();
  private volatile boolean acking;
  private volatile Gauge localPending;

  /** Moving average of message sizes, to turn the local pending count into an estimate in bytes. */
  private volatile double averageSize;

  TopicCredit(MeterRegistry registry, String address) {
    this.registry = registry;
    this.address = address;
  }

  /** Counts one message about to be published; returns its sequence number (header p2p-seq). */
  long publish(int size) {
    long bytes = totalBytes.addAndGet(size);
    long seq = published.incrementAndGet();
    cumulativeBytes.set((int) (seq % RING), bytes);
    double average = averageSize; // racy updates from several loops are fine for an estimate
    averageSize = average == 0 ? size : average * 0.9 + size * 0.1;
    return seq;
  }

  /**
   * The application finished every message up to {@code seq}. Acknowledgements only move forward;
   * one naming a message not yet published is clamped (a consumer cannot grant itself credit).
   */
  void ack(long seq) {
    acking = true;
    long target = Math.min(seq, published.get());
    acked.accumulateAndGet(target, Math::max);
  }

  boolean acking() {
    return acking;
  }

  /** Messages published and not finished by the application. */
  double outstandingMessages() {
    if (acking) {
      return Math.max(0, published.get() - acked.get());
    }
    Gauge gauge = localPending;
    if (gauge == null) {
      // Vert.x registers one gauge per side; only side=local counts what local consumers hold.
      gauge =
          registry
              .find("vertx.eventbus.pending")
              .tag("address", address)
              .tag("side", "local")
              .gauge();
      localPending = gauge;
    }
    return gauge == null ? 0 : gauge.value();
  }

  /** Bytes published and not finished by the application (estimated for plain local consumers). */
  double outstandingBytes() {
    if (!acking) {
      return outstandingMessages() * averageSize;
    }
    long last = published.get();
    long done = acked.get();
    if (last - done >= RING) {
      return Double.MAX_VALUE; // further behind than the ring remembers: saturated in any case
    }
    return cumulativeBytes.get((int) (last % RING))
        - (done == 0 ? 0 : cumulativeBytes.get((int) (done % RING)));
  }
}
