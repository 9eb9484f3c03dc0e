package network.canopy.p2p.gossipsim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Random regular graphs as adjacency arrays, fast enough for 10,000 nodes (configuration model).
 */
public final class RandomGraphs {

  private RandomGraphs() {}

  /**
   * A connected simple graph where every node has {@code degree} neighbours ({@code nodes × degree}
   * even).
   */
  public static int[][] regular(int nodes, int degree, Random random) {
    for (int attempt = 0; attempt < 1000; attempt++) {
      int[][] g = tryRegular(nodes, degree, random);
      if (g != null && connected(g)) {
        return g;
      }
    }
    throw new IllegalStateException(
        "no random " + degree + "-regular graph on " + nodes + " nodes");
  }

  private static int[][] tryRegular(int nodes, int degree, Random random) {
    List<Integer> stubs = new ArrayList<>(nodes * degree);
    for (int n = 0; n < nodes; n++) {
      for (int k = 0; k < degree; k++) {
        stubs.add(n);
      }
    }
    List<Set<Integer>> adj = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      adj.add(new HashSet<>());
    }
    // Pair random stubs; a self-loop or double edge is retried a few times, then the try fails.
    int failures = 0;
    while (stubs.size() > 1) {
      int i = random.nextInt(stubs.size());
      int j = random.nextInt(stubs.size());
      int a = stubs.get(i);
      int b = stubs.get(j);
      if (i == j || a == b || adj.get(a).contains(b)) {
        if (++failures > 100 * nodes) {
          return null;
        }
        continue;
      }
      adj.get(a).add(b);
      adj.get(b).add(a);
      removeTwo(stubs, i, j);
    }
    int[][] out = new int[nodes][];
    for (int n = 0; n < nodes; n++) {
      out[n] = adj.get(n).stream().mapToInt(Integer::intValue).sorted().toArray();
    }
    return out;
  }

  private static void removeTwo(List<Integer> list, int i, int j) {
    int hi = Math.max(i, j);
    int lo = Math.min(i, j);
    list.set(hi, list.get(list.size() - 1));
    list.remove(list.size() - 1);
    list.set(lo, list.get(list.size() - 1));
    list.remove(list.size() - 1);
  }

  static boolean connected(int[][] g) {
    boolean[] seen = new boolean[g.length];
    int[] stack = new int[g.length];
    int top = 0;
    int count = 1;
    stack[top++] = 0;
    seen[0] = true;
    while (top > 0) {
      for (int m : g[stack[--top]]) {
        if (!seen[m]) {
          seen[m] = true;
          count++;
          stack[top++] = m;
        }
      }
    }
    return count == g.length;
  }
}
