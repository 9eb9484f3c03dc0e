package network.canopy.p2p.bench;

import java.util.Arrays;

/** Latency samples in ns, added on an event loop and drained by the bench's main thread. */
final class LatencySamples {

  private long[] samples = new long[1024];
  private int count;

  synchronized void add(long nanos) {
    if (count == samples.length) {
      samples = Arrays.copyOf(samples, count * 2);
    }
    samples[count++] = nanos;
  }

  /** Everything recorded since the last drain, which starts afresh. */
  synchronized long[] drain() {
    long[] out = Arrays.copyOf(samples, count);
    count = 0;
    return out;
  }
}
