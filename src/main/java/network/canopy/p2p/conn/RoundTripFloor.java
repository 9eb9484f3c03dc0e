package network.canopy.p2p.conn;

/**
 * The smallest heartbeat round trip of the last 10 to 20 seconds: the link's own delay, without the
 * queue in front of the PONG. Receive windows are sized by it (ReceiveWindows), because a round
 * trip measured behind a window's own data grows with the window and would justify any size.
 * Context-confined.
 */
final class RoundTripFloor {

  /** Each of the two minima covers this long; the floor is the smaller of them. */
  static final long SPAN_NANOS = 10_000_000_000L;

  private long current = -1;
  private long previous = -1;
  private long currentSinceNanos;

  /** Records a measured round trip taken at {@code nowNanos}. */
  void sample(long rttNanos, long nowNanos) {
    if (rttNanos < 0) {
      return;
    }
    rotate(nowNanos);
    if (current < 0 || rttNanos < current) {
      current = rttNanos;
    }
  }

  /** The floor at {@code nowNanos}, or -1 before the first sample (or after 20 s without any). */
  long nanos(long nowNanos) {
    rotate(nowNanos);
    if (current < 0) {
      return previous;
    }
    return previous < 0 ? current : Math.min(current, previous);
  }

  private void rotate(long nowNanos) {
    if (current < 0 && previous < 0) {
      currentSinceNanos = nowNanos;
      return;
    }
    long age = nowNanos - currentSinceNanos;
    if (age < SPAN_NANOS) {
      return;
    }
    previous = age < 2 * SPAN_NANOS ? current : -1;
    current = -1;
    currentSinceNanos = nowNanos;
  }
}
