package network.canopy.p2p.gossipsim;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import network.canopy.p2p.gossip.LazyParams;

/**
 * One simulated experiment: warm-up broadcasts (the tree forms), then measured broadcasts from
 * random origins at a fixed interval, optionally stopping a share of the nodes after a third of
 * them and starting them again after two thirds; then the figures of a {@link SimResult}.
 */
public final class GossipSimRun {

  /**
   * @param graph adjacency arrays (undirected); {@code lazy} false floods
   * @param intervalMs virtual time between broadcasts
   * @param churn share of nodes stopped during the measured broadcasts (never an origin)
   */
  public record Settings(
      int[][] graph,
      boolean lazy,
      int warmup,
      int messages,
      int payloadBytes,
      double intervalMs,
      double churn,
      boolean restart,
      LinkModel links,
      LazyParams params,
      long seed) {}

  private GossipSimRun() {}

  public static SimResult run(Settings s) {
    Random random = new Random(s.seed());
    int n = s.graph().length;
    VirtualNetwork net =
        new VirtualNetwork(
            s.graph(),
            s.links(),
            s.params(),
            s.lazy(),
            s.warmup() + s.messages(),
            new Random(s.seed() ^ 0x5eedL));
    VirtualClock clock = net.clock();
    BitSet victims = new BitSet();
    while (victims.cardinality() < Math.round(s.churn() * n)) {
      victims.set(random.nextInt(n));
    }
    BitSet stable = new BitSet();
    stable.set(0, n);
    stable.andNot(victims);
    double[] sentAt = new double[s.warmup() + s.messages()];
    int[] origin = new int[sentAt.length];
    long receptionsBefore = 0;
    long announceBefore = 0;
    long[] bytesBefore = null;
    long[] payloadBytesBefore = null;
    for (int m = 0; m < sentAt.length; m++) {
      int measured = m - s.warmup();
      if (measured == 0) {
        clock.runUntil(clock.now() + 10 * s.intervalMs()); // warm-up settles
        receptionsBefore = net.payloadReceptions;
        announceBefore = net.announcementBytes;
        bytesBefore = net.bytesSent.clone();
        payloadBytesBefore = net.payloadBytesReceived.clone();
      }
      if (measured == s.messages() / 3) {
        victims.stream().forEach(net::kill);
      } else if (measured == 2 * s.messages() / 3 && s.restart()) {
        victims.stream().forEach(net::start);
      }
      origin[m] = randomMember(stable, random);
      sentAt[m] = clock.now();
      net.broadcast(origin[m], m, s.payloadBytes(), random);
      clock.runUntil(clock.now() + s.intervalMs());
    }
    clock.runUntil(clock.now() + 120_000); // everything in flight lands, every timer fires
    long messages = s.messages();
    long bytes = 0;
    long payloadBytes = 0;
    for (int i = 0; i < n; i++) {
      bytes += net.bytesSent[i] - bytesBefore[i];
      payloadBytes += net.payloadBytesReceived[i] - payloadBytesBefore[i];
    }
    List<Double> times = new ArrayList<>();
    long expectedTotal = 0;
    long reachedTotal = 0;
    for (int m = s.warmup(); m < sentAt.length; m++) {
      BitSet expected = reachable(s.graph(), origin[m], stable);
      expected.clear(origin[m]);
      float[] at = net.deliveredAt(m);
      double last = 0;
      int reached = 0;
      for (int i = expected.nextSetBit(0); i >= 0; i = expected.nextSetBit(i + 1)) {
        if (!Float.isNaN(at[i])) {
          reached++;
          last = Math.max(last, at[i] - sentAt[m]);
        }
      }
      expectedTotal += expected.cardinality();
      reachedTotal += reached;
      if (reached == expected.cardinality()) {
        times.add(last);
      }
    }
    times.sort(null);
    double perNodeMessage = (double) n * messages;
    return new SimResult(
        s.lazy() ? "lazy" : "flood",
        n,
        s.payloadBytes(),
        (int) messages,
        victims.cardinality(),
        expectedTotal == 0 ? 1 : (double) reachedTotal / expectedTotal,
        (net.payloadReceptions - receptionsBefore) / perNodeMessage,
        (net.announcementBytes - announceBefore) / perNodeMessage,
        percentile(times, 0.5),
        percentile(times, 0.99),
        bytes / perNodeMessage,
        payloadBytes / perNodeMessage / s.payloadBytes());
  }

  static BitSet reachable(int[][] graph, int origin, BitSet live) {
    BitSet seen = new BitSet();
    int[] stack = new int[graph.length];
    int top = 0;
    stack[top++] = origin;
    seen.set(origin);
    while (top > 0) {
      for (int m : graph[stack[--top]]) {
        if (live.get(m) && !seen.get(m)) {
          seen.set(m);
          stack[top++] = m;
        }
      }
    }
    return seen;
  }

  private static double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  private static int randomMember(BitSet set, Random random) {
    int skip = random.nextInt(set.cardinality());
    int i = set.nextSetBit(0);
    for (int k = 0; k < skip; k++) {
      i = set.nextSetBit(i + 1);
    }
    return i;
  }
}
