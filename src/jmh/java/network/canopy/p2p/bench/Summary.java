package network.canopy.p2p.bench;

import java.util.Arrays;

/** The median of a figure's measured runs, with their spread (min, max) for information only. */
record Summary(double median, double min, double max, int runs) {

  static Summary of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no runs");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    // An even count averages the two middle runs, so no single run decides alone.
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Summary(median, sorted[0], sorted[n - 1], n);
  }
}
