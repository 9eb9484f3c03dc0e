package network.canopy.p2p.bench;

import io.vertx.core.buffer.Buffer;

/**
 * {@code mixed-priority}: p99 latency of 1 KiB {@code consensus} messages sent every ~1 ms, alone
 * and while large {@code block} messages (64 MiB, quick 16 MiB) go back to back over the same
 * connection, one outstanding at a time, for the whole run. Latency is app to app: stamped just
 * before B's send request, read when A's consumer gets it. p2p only: the baselines have no topics.
 */
final class MixedPriority {

  static final String NAME = "mixed-priority";
  static final String SMALL_TOPIC = "consensus";
  static final String BULK_TOPIC = "block";
  static final int SMALL_SIZE = 1024;
  private static final long PERIOD_MS = 1;
  private static final long TIMEOUT_MS = 60_000;

  private final P2pSide side;
  private final Plan plan;
  private final Buffer bulk;
  private long refused;
  private long lost;

  private MixedPriority(P2pSide side, Plan plan) {
    this.side = side;
    this.plan = plan;
    this.bulk = Payloads.random(plan.mixedBulkBytes());
  }

  /** The row; "p2p" is the p99 with bulk traffic, "p2p_without" the same with none. */
  static FigureResult measure(P2pSide side, Plan plan) throws Exception {
    return new MixedPriority(side, plan).measure();
  }

  private FigureResult measure() throws Exception {
    side.receiver().mode(P2pReceiver.Mode.STAMP);
    try {
      run(true, plan.warmupMs());
      refused = 0;
      lost = 0;
      double[] with = new double[plan.runs()];
      double[] without = new double[plan.runs()];
      double[] bulkRate = new double[plan.runs()];
      for (int i = 0; i < plan.runs(); i++) {
        without[i] = Latencies.percentileMicros(run(false, plan.mixedRunMs()).latencies, 0.99);
        Run loaded = run(true, plan.mixedRunMs());
        with[i] = Latencies.percentileMicros(loaded.latencies, 0.99);
        bulkRate[i] = loaded.bulkMegabytesPerSecond;
      }
      Summary withSummary = Summary.of(with);
      Summary withoutSummary = Summary.of(without);
      return new FigureResult(NAME, "us p99")
          .put("p2p", withSummary).put("tcp", null).put("tls", null)
          .extra("p2p_without", withoutSummary)
          .note("with_over_without", FigureResult.round(withSummary.median() / withoutSummary.median(), 3))
          .extra("bulk_MBps", Summary.of(bulkRate))
          .note("bulk_message_bytes", plan.mixedBulkBytes())
          .note("small_refused", refused)
          .note("small_lost", lost);
    } finally {
      side.receiver().mode(P2pReceiver.Mode.COUNT);
    }
  }

  private record Run(long[] latencies, double bulkMegabytesPerSecond) {
  }

  private Run run(boolean withBulk, long millis) throws Exception {
    P2pSender sender = side.sender();
    DeliveryCounter small = side.receiver().delivered(SMALL_TOPIC);
    DeliveryCounter large = side.receiver().delivered(BULK_TOPIC);
    side.receiver().latencies().drain();
    long smallBefore = small.messages();
    long acceptedBefore = sender.ticksAccepted();
    long refusedBefore = sender.ticksRefused();
    long largeBefore = large.messages();
    long largeBytesBefore = large.bytes();
    SendWindow bulkSends = withBulk ? Await.of(sender.startWindow(BULK_TOPIC, bulk, 1), TIMEOUT_MS) : null;
    long start = System.nanoTime();
    Await.of(sender.startTicks(SMALL_TOPIC, SMALL_SIZE, PERIOD_MS), TIMEOUT_MS);
    Thread.sleep(millis);
    Await.of(sender.stopTicks(), TIMEOUT_MS);
    double seconds = (System.nanoTime() - start) / 1e9;
    double bulkRate = (large.bytes() - largeBytesBefore) / 1e6 / seconds;
    // Every small message the node took must arrive before the run counts, however late.
    awaitAnswers(sender);
    long expected = smallBefore + sender.ticksAccepted() - acceptedBefore;
    small.awaitMessages(expected, TIMEOUT_MS);
    lost += Math.max(0, expected - small.messages());
    refused += sender.ticksRefused() - refusedBefore;
    if (bulkSends != null) {
      Await.of(sender.stopWindow(bulkSends), TIMEOUT_MS);
      large.awaitMessages(largeBefore + bulkSends.accepted(), TIMEOUT_MS);
      check(bulkSends);
    }
    return new Run(side.receiver().latencies().drain(), bulkRate);
  }

  private static void awaitAnswers(P2pSender sender) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (sender.ticksAccepted() + sender.ticksRefused() < sender.ticksSent()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  private static void check(SendWindow sends) throws Exception {
    if (sends.failure() != null) {
      throw new Exception("the bulk sender stopped: " + sends.failure(), sends.failure());
    }
  }
}
