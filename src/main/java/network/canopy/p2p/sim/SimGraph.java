package network.canopy.p2p.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * An undirected simple graph of simulated nodes 0..n-1: line, ring or random regular, with the
 * questions a gossip run asks of it (diameter, who can still reach whom once some nodes are down).
 */
public final class SimGraph {

  private final BitSet[] adjacent;

  private SimGraph(int nodes) {
    adjacent = new BitSet[nodes];
    for (int i = 0; i < nodes; i++) {
      adjacent[i] = new BitSet(nodes);
    }
  }

  public static SimGraph line(int nodes) {
    SimGraph g = new SimGraph(nodes);
    for (int i = 1; i < nodes; i++) {
      g.connect(i - 1, i);
    }
    return g;
  }

  public static SimGraph ring(int nodes) {
    SimGraph g = line(nodes);
    if (nodes > 2) {
      g.connect(nodes - 1, 0);
    }
    return g;
  }

  /**
   * A connected random graph where every node has {@code degree} neighbours (one node has one fewer
   * when nodes × degree is odd), drawn by pairing free edge ends at random and starting over when
   * stuck (Steger–Wormald), so it is close to uniform over such graphs.
   */
  public static SimGraph randomRegular(int nodes, int degree, Random random) {
    if (degree < 1 || degree >= nodes) {
      throw new IllegalArgumentException("degree must be 1.." + (nodes - 1) + ", got " + degree);
    }
    for (int attempt = 0; attempt < 1_000; attempt++) {
      SimGraph g = tryRegular(nodes, degree, random);
      if (g != null && g.connected()) {
        return g;
      }
    }
    throw new IllegalStateException(
        "no connected " + degree + "-regular graph of " + nodes + " found");
  }

  private static SimGraph tryRegular(int nodes, int degree, Random random) {
    SimGraph g = new SimGraph(nodes);
    List<Integer> ends = new ArrayList<>(nodes * degree);
    for (int i = 0; i < nodes; i++) {
      for (int k = 0; k < degree; k++) {
        ends.add(i);
      }
    }
    while (ends.size() >= 2) {
      boolean paired = false;
      for (int tries = 0; tries < 100 && !paired; tries++) {
        int a = random.nextInt(ends.size());
        int b = random.nextInt(ends.size());
        int u = ends.get(a);
        int v = ends.get(b);
        if (u != v && !g.adjacent[u].get(v)) {
          g.connect(u, v);
          ends.remove(Math.max(a, b));
          ends.remove(Math.min(a, b));
          paired = true;
        }
      }
      if (!paired) {
        return ends.size() == 1 ? g : null; // stuck: start over
      }
    }
    return g;
  }

  public void connect(int a, int b) {
    adjacent[a].set(b);
    adjacent[b].set(a);
  }

  public int size() {
    return adjacent.length;
  }

  public int[] neighbours(int node) {
    return adjacent[node].stream().toArray();
  }

  /** All edges as pairs (lower, higher). */
  public List<int[]> edges() {
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < adjacent.length; i++) {
      for (int j = adjacent[i].nextSetBit(i + 1); j >= 0; j = adjacent[i].nextSetBit(j + 1)) {
        out.add(new int[] {i, j});
      }
    }
    return out;
  }

  public double averageDegree() {
    return Arrays.stream(adjacent).mapToInt(BitSet::cardinality).average().orElse(0);
  }

  public boolean connected() {
    BitSet all = new BitSet();
    all.set(0, adjacent.length);
    return reachable(0, all).cardinality() == adjacent.length;
  }

  /** The longest shortest path in hops: the least number of forwarding rounds to reach everyone. */
  public int diameter() {
    int diameter = 0;
    for (int i = 0; i < adjacent.length; i++) {
      int[] hops = hopsFrom(i);
      for (int h : hops) {
        diameter = Math.max(diameter, h);
      }
    }
    return diameter;
  }

  /**
   * The nodes of {@code live} that {@code origin} reaches through live nodes only (origin
   * included).
   */
  public BitSet reachable(int origin, BitSet live) {
    BitSet seen = new BitSet();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    seen.set(origin);
    queue.add(origin);
    while (!queue.isEmpty()) {
      int n = queue.poll();
      for (int m = adjacent[n].nextSetBit(0); m >= 0; m = adjacent[n].nextSetBit(m + 1)) {
        if (live.get(m) && !seen.get(m)) {
          seen.set(m);
          queue.add(m);
        }
      }
    }
    return seen;
  }

  private int[] hopsFrom(int origin) {
    int[] hops = new int[adjacent.length];
    Arrays.fill(hops, -1);
    hops[origin] = 0;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    queue.add(origin);
    while (!queue.isEmpty()) {
      int n = queue.poll();
      for (int m = adjacent[n].nextSetBit(0); m >= 0; m = adjacent[n].nextSetBit(m + 1)) {
        if (hops[m] < 0) {
          hops[m] = hops[n] + 1;
          queue.add(m);
        }
      }
    }
    return hops;
  }
}
