package network.canopy.p2p.bench;

import io.vertx.core.buffer.Buffer;

/**
 * {@code mixed-priority}: p99 latency of 1 KiB {@code consensus} messages sent every ~1 ms, alone
 * and while a large {@code block} message (64 MiB, quick 16 MiB) is on its way over the same
 * connection: one at a time, the next sent once the previous reached A's app, for the whole run.
 * Latency is app to app: stamped just before B's send request, read when A's consumer gets it. p2p
 * only: the baselines have no topics.
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
    side.urgent().mode(P2pReceiver.Mode.STAMP);
    try {
      run(true, plan.warmupMs());
      refused = 0;
      lost = 0;
      int runs = plan.runs();
      double[] with = new double[runs];
      double[] without = new double[runs];
      double[] withP50 = new double[runs];
      double[] withoutP50 = new double[runs];
      double[] bulkRate = new double[runs];
      for (int i = 0; i < runs; i++) {
        long[] alone = run(false, plan.mixedRunMs()).latencies;
        without[i] = Latencies.percentileMicros(alone, 0.99);
        withoutP50[i] = Latencies.percentileMicros(alone, 0.50);
        Run loaded = run(true, plan.mixedRunMs());
        with[i] = Latencies.percentileMicros(loaded.latencies, 0.99);
        withP50[i] = Latencies.percentileMicros(loaded.latencies, 0.50);
        bulkRate[i] = loaded.bulkMegabytesPerSecond;
      }
      Summary withSummary = Summary.of(with);
      Summary withoutSummary = Summary.of(without);
      return new FigureResult(NAME, "us p99")
          .put("p2p", withSummary)
          .put("tcp", null)
          .put("tls", null)
          .extra("p2p_without", withoutSummary)
          .extra("p2p_p50", Summary.of(withP50))
          .extra("p2p_without_p50", Summary.of(withoutP50))
          .note(
              "with_over_without",
              FigureResult.round(withSummary.median() / withoutSummary.median(), 3))
          .extra("bulk_MBps", Summary.of(bulkRate))
          .note("bulk_message_bytes", plan.mixedBulkBytes())
          .note("small_refused", refused)
          .note("small_lost", lost);
    } finally {
      side.urgent().mode(P2pReceiver.Mode.COUNT);
    }
  }

  private record Run(long[] latencies, double bulkMegabytesPerSecond) {}

  private Run run(boolean withBulk, long millis) throws Exception {
    P2pSender sender = side.sender();
    DeliveryCounter small = side.delivered(SMALL_TOPIC);
    DeliveryCounter large = side.delivered(BULK_TOPIC);
    side.urgent().latencies().drain();
    long smallBefore = small.messages();
    long acceptedBefore = sender.ticksAccepted();
    long refusedBefore = sender.ticksRefused();
    long largeBytesBefore = large.bytes();
    long start = System.nanoTime();
    Await.of(sender.startTicks(SMALL_TOPIC, SMALL_SIZE, PERIOD_MS), TIMEOUT_MS);
    if (withBulk) {
      bulkUntil(start + millis * 1_000_000);
    } else {
      Thread.sleep(millis);
    }
    Await.of(sender.stopTicks(), TIMEOUT_MS);
    double seconds = (System.nanoTime() - start) / 1e9;
    double bulkRate = (large.bytes() - largeBytesBefore) / 1e6 / seconds;
    // Every small message the node took must arrive before the run counts, however late.
    awaitAnswers(sender);
    long expected = smallBefore + sender.ticksAccepted() - acceptedBefore;
    small.awaitMessages(expected, TIMEOUT_MS);
    lost += Math.max(0, expected - small.messages());
    refused += sender.ticksRefused() - refusedBefore;
    return new Run(side.urgent().latencies().drain(), bulkRate);
  }

  private static void awaitAnswers(P2pSender sender) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
    while (sender.ticksAccepted() + sender.ticksRefused() < sender.ticksSent()
        && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
  }

  /** Large messages one after the other until {@code deadline}; the last one has arrived too. */
  private void bulkUntil(long deadline) throws Exception {
    DeliveryCounter large = side.delivered(BULK_TOPIC);
    while (System.nanoTime() < deadline) {
      long before = large.messages();
      sendBulk();
      if (!large.awaitMessages(before + 1, TIMEOUT_MS)) {
        throw new Exception(
            "a " + bulk.length() + "-byte block message took over " + TIMEOUT_MS + " ms to arrive");
      }
    }
  }

  /** One send request; "queue full" is retried after a millisecond, anything else thrown. */
  private void sendBulk() throws Exception {
    while (true) {
      try {
        Await.of(side.sender().send(BULK_TOPIC, bulk), TIMEOUT_MS);
        return;
      } catch (Exception e) {
        if (!SendWindow.isQueueFull(e)) {
          throw e;
        }
        Thread.sleep(1);
      }
    }
  }
}
