package network.canopy.p2p.gossip;

/**
 * Counts what one peer sent in fixed windows and says when it is over a bound; reports an excess
 * once per window so a flood costs reputation once per window, not once per id.
 */
final class RateWindow {
  private long windowStart = Long.MIN_VALUE;
  private int count;
  private boolean reported;

  /** Adds {@code n}; returns how many of them fit under {@code max} in the current window. */
  int admit(int n, int max, long now, long windowMillis) {
    if (now - windowStart >= windowMillis) {
      windowStart = now;
      count = 0;
      reported = false;
    }
    int fits = Math.max(0, Math.min(n, max - count));
    count += n;
    return fits;
  }

  /** True the first time in a window that this is asked after an excess. */
  boolean reportExcess() {
    if (reported) {
      return false;
    }
    reported = true;
    return true;
  }
}
