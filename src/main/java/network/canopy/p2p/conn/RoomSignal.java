package network.canopy.p2p.conn;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One waiter for room in a connection's send queues ({@link MultiConn#whenRoom}): run once, on the
 * thread that gives queued bytes back (or closes the connection), then forgotten.
 */
final class RoomSignal {
  private final AtomicReference<Runnable> waiter = new AtomicReference<>();

  /** Replaces any waiter not yet run. */
  void arm(Runnable action) {
    waiter.set(action);
  }

  /** Runs and forgets the waiter, if any; a plain read first keeps the send path cheap. */
  void fire() {
    if (waiter.get() != null) {
      Runnable action = waiter.getAndSet(null);
      if (action != null) {
        action.run();
      }
    }
  }
}
