package network.canopy.p2p.bench;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Messages and payload bytes handed to a receiving consumer. Written on the receiver's event loop,
 * read by the bench's main thread.
 */
final class DeliveryCounter {

  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  void add(int payloadBytes) {
    messages.incrementAndGet();
    bytes.addAndGet(payloadBytes);
  }

  long messages() {
    return messages.get();
  }

  long bytes() {
    return bytes.get();
  }

  /**
   * Waits until {@code target} messages in all have arrived, so one measurement's tail does not
   * spill into the next. False when they have not after {@code limitMs}.
   */
  boolean awaitMessages(long target, long limitMs) throws InterruptedException {
    long deadline = System.nanoTime() + limitMs * 1_000_000;
    while (messages() < target) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }
}
