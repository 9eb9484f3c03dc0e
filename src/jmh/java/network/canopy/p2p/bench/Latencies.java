package network.canopy.p2p.bench;

import java.util.Arrays;

/** Percentiles of one run's latency samples, taken in nanoseconds and reported in microseconds. */
final class Latencies {

  private Latencies() {}

  /** The {@code q}-quantile (0..1, nearest rank) of {@code nanos}, in µs; sorts a copy. */
  static double percentileMicros(long[] nanos, double q) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length);
    int index = Math.min(sorted.length - 1, Math.max(0, rank - 1));
    return sorted[index] / 1_000.0;
  }
}
