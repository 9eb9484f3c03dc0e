package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real nodes on loopback gossiping on a lazy-push topic ({@code gossipMode: lazy}). */
class LazyGossipNetworkTest {

  private static final String TOPIC = "block";
  /** The one topic of these networks, spread by lazy push. */
  static final Map<String, String> LAZY = Map.of("topics", "[{\"name\":\"" + TOPIC
      + "\",\"id\":2,\"priority\":2,\"gossip\":true,\"gossipMode\":\"lazy\"}]");

  @TempDir
  Path root;

  @Test
  void onARandomDegree8GraphOf32EveryBroadcastArrivesOnceWithFarFewerCopiesThanFlooding()
      throws Exception {
    SimGraph graph = SimGraph.randomRegular(32, 8, new Random(7));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, LAZY)) {
      net.start();
      GossipSimulation.run(net, new GossipSimulation.Settings(10, 200, 1, 1, 0, false, 1, 15));
      SimReport report = GossipSimulation.run(net,
          new GossipSimulation.Settings(60, 200, 1, 1, 0, false, 2, 15));
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
      SimReport report = GossipSimulation.run(net,
          new GossipSimulation.Settings(150, 200, 200, 0, 0.3, true, 3, 20));
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
      SimReport report = GossipSimulation.run(net,
          new GossipSimulation.Settings(60, 200, 1, 1, 0, false, 4, 15));
      System.out.println(report.toText());

      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(60);
      assertThat(report.extraDeliveries()).isZero();
    }
  }
}
