package network.canopy.p2p.sim;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs broadcasts over a started {@link SimNetwork}: M messages from random nodes, either at a set
 * rate (open loop: queueing under load shows in the times) or with at most K messages on their way
 * at once (closed loop: K = 1 measures pure propagation), optionally stopping a fraction of the
 * nodes after the first third (and starting them again after the second), then waits for the
 * messages to settle and measures them into a {@link SimReport}.
 */
public final class GossipSimulation {

  /**
   * @param ratePerSecond broadcasts per second when {@code inFlight} is 0
   * @param inFlight when above 0, a broadcast starts only while fewer earlier ones are still on
   *     their way to some expected node (the rate is then ignored)
   * @param churnFraction share of nodes stopped during the broadcasts (0 = none); origins are
   *     always nodes that stay up, and only those are expected to receive every message
   */
  public record Settings(
      int messages,
      int payloadBytes,
      int ratePerSecond,
      int inFlight,
      double churnFraction,
      boolean restart,
      long seed,
      long settleSeconds) {}

  private GossipSimulation() {}

  public static SimReport run(SimNetwork net, Settings settings) throws Exception {
    Random random = new Random(settings.seed());
    int n = net.graph().size();
    BitSet victims = pick(n, (int) Math.round(settings.churnFraction() * n), random);
    BitSet stable = new BitSet();
    stable.set(0, n);
    stable.andNot(victims);
    double receivedBefore = net.gossipCount("received");
    double droppedBefore = net.gossipCount("dropped");
    List<DeliveryLog.Track> tracks = new ArrayList<>();
    long aliveAtSends = 0;
    long intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, settings.ratePerSecond());
    long start = System.nanoTime();
    List<DeliveryLog.Track> pending = new ArrayList<>();
    for (int m = 0; m < settings.messages(); m++) {
      if (m == settings.messages() / 3) {
        forEach(victims, net::kill);
      } else if (m == 2 * settings.messages() / 3 && settings.restart()) {
        forEach(victims, net::restart);
      }
      int origin = randomMember(stable, random);
      String id = net.broadcast(origin, payload(m, settings.payloadBytes(), random));
      tracks.add(net.log().track(id));
      aliveAtSends += net.aliveNodes().cardinality();
      if (settings.inFlight() > 0) {
        pending.add(tracks.getLast());
        awaitFewerThan(settings.inFlight(), pending, net.graph(), stable, settings.settleSeconds());
      } else {
        LockSupport.parkNanos(start + (m + 1) * intervalNanos - System.nanoTime());
      }
    }
    waitForDelivery(net, tracks, stable, settings.settleSeconds());
    double receptions = net.gossipCount("received") - receivedBefore;
    return measure(
        net,
        tracks,
        stable,
        victims.cardinality(),
        settings.restart() && !victims.isEmpty(),
        receptions / aliveAtSends,
        net.gossipCount("dropped") - droppedBefore);
  }

  /** The nodes that must get a message: those that stay up and stay connected to its origin. */
  static BitSet expected(SimGraph graph, DeliveryLog.Track track, BitSet stable) {
    BitSet out = graph.reachable(track.origin, stable);
    out.clear(track.origin);
    return out;
  }

  /** Closed loop: waits (bounded) until fewer than {@code limit} messages are still spreading. */
  private static void awaitFewerThan(
      int limit, List<DeliveryLog.Track> pending, SimGraph graph, BitSet stable, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    // Each track's expected nodes once: a reachability search per poll cost the polling thread
    // about a tenth of a core while a 16 MiB message spread for seconds.
    java.util.Map<DeliveryLog.Track, BitSet> expected = new java.util.IdentityHashMap<>();
    while (true) {
      pending.removeIf(
          t -> t.nanosToReach(expected.computeIfAbsent(t, k -> expected(graph, k, stable))) >= 0);
      if (pending.size() < limit || System.nanoTime() > deadline) {
        return;
      }
      LockSupport.parkNanos(50_000); // polling, bounded by the deadline (times come from the log)
    }
  }

  private static void waitForDelivery(
      SimNetwork net, List<DeliveryLog.Track> tracks, BitSet stable, long seconds) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (DeliveryLog.Track t : tracks) {
      BitSet expected = expected(net.graph(), t, stable);
      while (t.nanosToReach(expected) < 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // polling, bounded by the deadline
      }
    }
  }

  private static SimReport measure(
      SimNetwork net,
      List<DeliveryLog.Track> tracks,
      BitSet stable,
      int killed,
      boolean restarted,
      double receptionsPerNodePerMessage,
      double dropped) {
    long expectedTotal = 0;
    long reachedTotal = 0;
    long extra = 0;
    List<Double> times = new ArrayList<>();
    for (DeliveryLog.Track t : tracks) {
      BitSet expected = expected(net.graph(), t, stable);
      BitSet reached = t.reached();
      reached.and(expected);
      expectedTotal += expected.cardinality();
      reachedTotal += reached.cardinality();
      extra += t.deliveries(t.origin);
      for (int i = stable.nextSetBit(0); i >= 0; i = stable.nextSetBit(i + 1)) {
        extra += Math.max(0, t.deliveries(i) - 1);
      }
      long nanos = t.nanosToReach(expected);
      if (nanos >= 0) {
        times.add(nanos / 1e6);
      }
    }
    times.sort(null);
    return new SimReport(
        net.graph().size(),
        net.graph().averageDegree(),
        net.graph().diameter(),
        tracks.size(),
        killed,
        restarted,
        expectedTotal == 0 ? 1.0 : (double) reachedTotal / expectedTotal,
        extra,
        times.size(),
        receptionsPerNodePerMessage,
        percentile(times, 0.50),
        percentile(times, 0.99),
        dropped,
        net.log().untracked());
  }

  private static double percentile(List<Double> sorted, double q) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(q * sorted.size()) - 1));
  }

  /** Unique (sequence number first, then random bytes) so no two messages share an id. */
  private static Buffer payload(int seq, int size, Random random) {
    byte[] bytes = new byte[Math.max(8, size)];
    random.nextBytes(bytes);
    ByteBuffer.wrap(bytes).putInt(seq).putInt(random.nextInt());
    return Buffer.buffer(bytes);
  }

  private static BitSet pick(int n, int count, Random random) {
    BitSet out = new BitSet();
    while (out.cardinality() < Math.min(count, n - 1)) {
      out.set(random.nextInt(n));
    }
    return out;
  }

  private static int randomMember(BitSet set, Random random) {
    int skip = random.nextInt(set.cardinality());
    int i = set.nextSetBit(0);
    for (int k = 0; k < skip; k++) {
      i = set.nextSetBit(i + 1);
    }
    return i;
  }

  private interface NodeAction {
    void apply(int node) throws Exception;
  }

  private static void forEach(BitSet nodes, NodeAction action) throws Exception {
    for (int i = nodes.nextSetBit(0); i >= 0; i = nodes.nextSetBit(i + 1)) {
      action.apply(i);
    }
  }
}
