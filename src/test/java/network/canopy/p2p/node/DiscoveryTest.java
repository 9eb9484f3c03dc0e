package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import network.canopy.p2p.config.Addresses;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery over real loopback: 20 nodes, each told only of node 0, find each other by peer
 * exchange, fill their outbound slots from their books, and stay connected when node 0 goes.
 */
class DiscoveryTest {

  private static final int NODES = 20;

  /**
   * Under the default 7 so a node cannot end up connected to all 19 others with a slot still free.
   */
  private static final int MAX_OUTBOUND = 5;

  @TempDir Path root;

  @Test
  void twentyNodesToldOnlyOfNodeZeroFindEachOtherAndOutliveIt() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      Map<String, String> common =
          Map.of(
              "p2p.maxPerIp", "64", // everyone is 127.0.0.1
              "p2p.peerExchangeIntervalMs", "300",
              "p2p.peerExchangeRequestsPerMinute", "600",
              "p2p.maxOutbound", String.valueOf(MAX_OUTBOUND));
      List<String> deployments = new ArrayList<>();
      deployments.add(nodes.start(nodes.config(root.resolve("n0"), "n0", common)));
      String seed = nodes.id("n0") + "@" + nodes.listenAddress("n0");
      Map<String, String> withSeed = new HashMap<>(common);
      withSeed.put("p2p.dial", seed);
      for (int i = 1; i < NODES; i++) {
        deployments.add(nodes.start(nodes.config(root.resolve("n" + i), "n" + i, withSeed)));
      }
      String seedId = nodes.id("n0");
      List<String> all = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        all.add("n" + i);
      }

      long started = System.nanoTime();
      awaitAll(
          nodes,
          all,
          prefix -> book(nodes, prefix).size() >= 15,
          "every book holds at least 15 others");
      // Node 0 cannot dial out: every other node is already connected to it.
      awaitAll(
          nodes,
          all.subList(1, NODES),
          prefix -> outbound(nodes, prefix).size() == MAX_OUTBOUND,
          "every node told of node 0 has filled its outbound slots");
      System.out.printf(
          "discovery: books >= 15 and outbound slots full after %d ms%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      for (String prefix : all.subList(1, NODES)) {
        Set<String> out = outbound(nodes, prefix);
        out.remove(seedId);
        assertThat(out)
            .as("%s filled its slots from its book, not only from node 0", prefix)
            .hasSizeGreaterThanOrEqualTo(MAX_OUTBOUND - 1);
        JsonObject entry =
            book(nodes, prefix).stream()
                .map(o -> (JsonObject) o)
                .filter(e -> e.getString("id").equals(seedId))
                .findFirst()
                .orElseThrow();
        assertThat(entry.getString("source")).isEqualTo("config");
      }

      nodes.stop(deployments.get(0));
      started = System.nanoTime();
      List<String> rest = all.subList(1, NODES);
      awaitAll(
          nodes,
          rest,
          prefix -> outbound(nodes, prefix).size() == MAX_OUTBOUND,
          "without node 0, every node has refilled its outbound slots from its book");
      System.out.printf(
          "discovery: slots refilled %d ms after node 0 stopped%n",
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
      assertThat(components(nodes, rest))
          .as("the 19 remaining nodes form one connected network")
          .isEqualTo(1);
    }
  }

  static JsonArray book(TestNodes nodes, String prefix) {
    return ask(nodes, new Addresses(prefix).book());
  }

  static Set<String> outbound(TestNodes nodes, String prefix) {
    Set<String> out = new HashSet<>();
    ask(nodes, new Addresses(prefix).peers()).stream()
        .map(o -> (JsonObject) o)
        .filter(p -> p.getString("direction").equals("outbound"))
        .forEach(p -> out.add(p.getString("id")));
    return out;
  }

  private static JsonArray ask(TestNodes nodes, String address) {
    try {
      return await(nodes.vertx.eventBus().<JsonArray>request(address, null)).body();
    } catch (Exception e) {
      throw new IllegalStateException(address, e);
    }
  }

  /** Polls every 50 ms, for at most 30 s, until the condition holds on every node. */
  static void awaitAll(
      TestNodes nodes, List<String> prefixes, Predicate<String> condition, String what)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (prefixes.stream().allMatch(condition)) {
        return;
      }
      await(nodes.vertx.timer(50));
    }
    StringBuilder state = new StringBuilder();
    for (String p : prefixes) {
      state
          .append(p)
          .append(": book ")
          .append(book(nodes, p).size())
          .append(", outbound ")
          .append(outbound(nodes, p).size())
          .append('\n');
    }
    throw new AssertionError("not reached within 30 s: " + what + "\n" + state);
  }

  /** Connected components of the graph of connections among {@code prefixes}. */
  private static int components(TestNodes nodes, List<String> prefixes) throws Exception {
    Map<String, String> prefixOf = new HashMap<>();
    for (String p : prefixes) {
      prefixOf.put(nodes.id(p), p);
    }
    Map<String, Set<String>> edges = new HashMap<>();
    for (String p : prefixes) {
      for (Object o : ask(nodes, new Addresses(p).peers())) {
        String other = prefixOf.get(((JsonObject) o).getString("id"));
        if (other != null) {
          edges.computeIfAbsent(p, k -> new HashSet<>()).add(other);
          edges.computeIfAbsent(other, k -> new HashSet<>()).add(p);
        }
      }
    }
    Set<String> seen = new HashSet<>();
    int count = 0;
    for (String start : prefixes) {
      if (seen.add(start)) {
        count++;
        ArrayDeque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
          for (String next : edges.getOrDefault(queue.poll(), Set.of())) {
            if (seen.add(next)) {
              queue.add(next);
            }
          }
        }
      }
    }
    return count;
  }
}
