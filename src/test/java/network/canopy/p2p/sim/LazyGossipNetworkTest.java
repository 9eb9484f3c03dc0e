package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nodes on loopback gossiping on a lazy-push topic ({@code gossipMode: lazy}). */
class LazyGossipNetworkTest {

  private static final String TOPIC = "block";

  /** The one topic of these networks, spread by lazy push. */
  static final Map<String, String> LAZY =
      Map.of(
          "topics",
          "[{\"name\":\""
              + TOPIC
              + "\",\"id\":2,\"priority\":2,\"gossip\":true,\"gossipMode\":\"lazy\"}]");

  @TempDir Path root;

  @Test
  void onARandomDegree8GraphOf32EveryBroadcastArrivesOnceWithFarFewerCopiesThanFlooding()
      throws Exception {
    SimGraph graph = SimGraph.randomRegular(32, 8, new Random(7));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, LAZY)) {
      net.start();
      GossipSimulation.run(net, new GossipSimulation.Settings(10, 200, 1, 1, 0, false, 1, 15));
      SimReport report =
          GossipSimulation.run(net, new GossipSimulation.Settings(60, 200, 1, 1, 0, false, 2, 15));
      System.out.println(report.toText());

      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(60);
      assertThat(report.extraDeliveries()).isZero();
      // Flooding measures 7.03 on this graph (GossipNetworkTest); the tree brings about one copy.
      assertThat(report.receptionsPerNodePerMessage()).isLessThan(1.5);
    }
  }

  @Test
  void withThirtyPercentOfNodesStoppedAndRestartedEveryMessageReachesEveryStableNode()
      throws Exception {
    SimGraph graph = SimGraph.randomRegular(32, 8, new Random(11));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, LAZY)) {
      net.start();
      SimReport report =
          GossipSimulation.run(
              net, new GossipSimulation.Settings(150, 200, 200, 0, 0.3, true, 3, 20));
      System.out.println(report.toText());

      assertThat(report.killed()).isEqualTo(10);
      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(150);
      assertThat(report.extraDeliveries()).isZero();
    }
  }

  @Test
  void nodesWithoutLazyPushAreFloodedAndEveryoneStillGetsEveryMessageOnce() throws Exception {
    SimGraph graph = SimGraph.randomRegular(16, 4, new Random(5));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, LAZY)) {
      for (int node = 0; node < 5; node++) {
        net.override(node, "p2p.capabilities", ""); // announces no lazy/1
      }
      net.start();
      SimReport report =
          GossipSimulation.run(net, new GossipSimulation.Settings(60, 200, 1, 1, 0, false, 4, 15));
      System.out.println(report.toText());

      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(60);
      assertThat(report.extraDeliveries()).isZero();
    }
  }

  @Test
  void withValidationALazyNodeRelaysWhatItAcceptedAndNeverOffersWhatItRejected() throws Exception {
    SimGraph graph = SimGraph.randomRegular(16, 4, new Random(13));
    Map<String, String> config =
        Map.of(
            "topics",
            "[{\"name\":\""
                + TOPIC
                + "\",\"id\":2,"
                + "\"gossip\":true,\"validate\":true,\"gossipMode\":\"lazy\"}]");
    Set<Integer> askedAboutBad = ConcurrentHashMap.newKeySet();
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, config)) {
      for (int i = 0; i < graph.size(); i++) {
        int node = i;
        net.vertx()
            .eventBus()
            .<Buffer>consumer(
                net.addresses(i).validate(TOPIC),
                m -> {
                  boolean bad = m.body().toString().startsWith("bad");
                  if (bad) {
                    askedAboutBad.add(node);
                  }
                  m.reply(bad ? "reject" : "accept");
                })
            .completion()
            .toCompletionStage()
            .toCompletableFuture()
            .get();
      }
      net.start();
      // The tree forms while every validator accepts: validate, then push or announce.
      SimReport report =
          GossipSimulation.run(net, new GossipSimulation.Settings(40, 200, 1, 1, 0, false, 6, 15));
      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.extraDeliveries()).isZero();

      String bad = net.broadcast(0, Buffer.buffer("bad block"));
      BitSet neighbours = new BitSet();
      Arrays.stream(graph.neighbours(0)).forEach(neighbours::set);
      // Every neighbour gets it (pushed, or grafted after node 0's announcement) and rejects it ...
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> askedAboutBad.size() == neighbours.cardinality());
      // ... and, having rejected it, never announces it: no one further is asked, no one delivers
      // it.
      Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(10))
          .until(() -> askedAboutBad.stream().allMatch(neighbours::get));
      assertThat(net.log().track(bad).reached().cardinality()).isZero();
    }
  }
}
