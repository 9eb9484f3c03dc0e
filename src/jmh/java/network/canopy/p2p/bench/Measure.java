package network.canopy.p2p.bench;

/** Measures a figure the same way on every side: warm up, then timed runs; the median is kept. */
final class Measure {

  /** The medians of a set of round-trip runs: each run's p50 and p99, in µs. */
  record RoundTrips(Summary p50, Summary p99) {}

  private Measure() {}

  /**
   * Lets {@code flow} warm up, then counts what its receiver gets during each of the plan's runs
   * (consecutive windows of the running flow); stops the flow in every case.
   *
   * @param megabytes MB/s of payload when true, messages/s when false
   */
  static Summary rate(Flow flow, Plan plan, boolean megabytes) throws Exception {
    try {
      Thread.sleep(plan.warmupMs());
      check(flow);
      double[] rates = new double[plan.runs()];
      for (int i = 0; i < rates.length; i++) {
        long before = count(flow, megabytes);
        long start = System.nanoTime();
        Thread.sleep(plan.runMs());
        long after = count(flow, megabytes);
        long elapsed = System.nanoTime() - start;
        check(flow);
        double perSecond = (after - before) * 1e9 / elapsed;
        rates[i] = megabytes ? perSecond / 1e6 : perSecond;
      }
      return Summary.of(rates);
    } finally {
      flow.stop();
    }
  }

  private static long count(Flow flow, boolean bytes) {
    return bytes ? flow.delivered().bytes() : flow.delivered().messages();
  }

  private static void check(Flow flow) throws Exception {
    Throwable failure = flow.failure();
    if (failure != null) {
      throw new Exception("the sender stopped: " + failure, failure);
    }
  }

  /** One unmeasured batch of round trips, then the plan's runs, each reduced to p50 and p99. */
  static RoundTrips roundTrips(Side side, String topic, int size, Plan plan) throws Exception {
    side.pingPong(topic, size, plan.rttWarmup());
    double[] p50 = new double[plan.runs()];
    double[] p99 = new double[plan.runs()];
    for (int i = 0; i < plan.runs(); i++) {
      long[] nanos = side.pingPong(topic, size, plan.rttCount());
      p50[i] = Latencies.percentileMicros(nanos, 0.50);
      p99[i] = Latencies.percentileMicros(nanos, 0.99);
    }
    return new RoundTrips(Summary.of(p50), Summary.of(p99));
  }
}
