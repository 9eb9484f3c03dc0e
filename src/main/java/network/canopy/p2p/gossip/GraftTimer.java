package network.canopy.p2p.gossip;

import java.util.Arrays;

/**
 * The graft timeout of each lazy topic, learned from how long its payloads trail their first
 * announcement (docs/GOSSIP.md, "Adapting to latency and to payload size"). Confined to the routing
 * core's lock.
 */
final class GraftTimer {

  private final LazyParams params;

  /**
   * Per topic: moving average of the lag and of its deviation, ms (NaN before the first sample).
   */
  private final double[] lagMs = new double[256];

  private final double[] lagDevMs = new double[256];

  GraftTimer(LazyParams params) {
    this.params = params;
    Arrays.fill(lagMs, Double.NaN);
  }

  /**
   * How long to wait for the tree before pulling: the usual lag between an announcement and the
   * payload on this topic (large payloads take longer to cross the tree than their announcements)
   * plus four deviations, as TCP's retransmission timer (RFC 6298), and at least twice the lag; at
   * least {@code graftTimeoutMs}. At most {@code maxGraftTimeoutMs} or three times the lag,
   * whichever is more: a fixed cap shorter than one hop of a 16 MiB payload pulled every slow copy
   * again from each announcer in turn (4.6 copies per node instead of 1). Twice the lag alone
   * pulled a second copy of every slow 1 MiB message on a loaded machine, where the lag varies more
   * than it grows.
   */
  long timeout(int topicId) {
    double lag = lagMs[topicId];
    if (Double.isNaN(lag)) {
      // Nothing learned yet: a 16 MiB payload would be pulled from several announcers in turn
      // before its first copy arrived; a small one waits this once.
      return params.maxGraftTimeoutMs();
    }
    double wait = Math.max(2 * lag, lag + 4 * lagDevMs[topicId]);
    double cap = Math.max(params.maxGraftTimeoutMs(), 3 * lag);
    return Math.max(params.graftTimeoutMs(), Math.round(Math.min(cap, wait)));
  }

  /** A message first announced {@code lagMillis} ago has arrived. */
  void sample(int topicId, double lagMillis) {
    double lag = lagMs[topicId];
    if (Double.isNaN(lag)) {
      lagMs[topicId] = lagMillis;
      lagDevMs[topicId] = lagMillis / 2;
      return;
    }
    lagDevMs[topicId] = 0.75 * lagDevMs[topicId] + 0.25 * Math.abs(lag - lagMillis);
    lagMs[topicId] = 0.875 * lag + 0.125 * lagMillis;
  }
}
