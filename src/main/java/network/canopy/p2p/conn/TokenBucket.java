package network.canopy.p2p.conn;

/**
 * A byte-rate limiter: refills at {@code rate} bytes/s up to {@code burst}; spending may take it
 * below zero (a frame is spent whole), and then the caller waits until it is back at zero.
 */
final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;

  private final double rate;
  private final double burst;
  private double tokens;
  private long refilledAt;

  TokenBucket(long bytesPerSecond, long burst, long nowNanos) {
    if (bytesPerSecond <= 0 || burst <= 0) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.rate = bytesPerSecond;
    this.burst = burst;
    this.tokens = burst;
    this.refilledAt = nowNanos;
  }

  /** The protocol's rule of thumb: a tenth of a second's worth, at least 64 KiB (one frame). */
  static long defaultBurst(long bytesPerSecond) {
    return Math.max(64 * 1024, bytesPerSecond / 10);
  }

  void spend(long bytes, long nowNanos) {
    refill(nowNanos);
    tokens -= bytes;
  }

  /** True when a frame may go now (no debt left). */
  boolean ready(long nowNanos) {
    refill(nowNanos);
    return tokens >= 0;
  }

  /** Nanoseconds until the debt is repaid; 0 when ready. */
  long nanosUntilReady(long nowNanos) {
    refill(nowNanos);
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / rate * NANOS_PER_SECOND);
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - refilledAt;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * rate / NANOS_PER_SECOND);
      refilledAt = nowNanos;
    }
  }
}
