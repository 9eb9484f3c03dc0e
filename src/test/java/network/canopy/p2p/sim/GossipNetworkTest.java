package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.Random;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gossip over real nodes on loopback: every broadcast reaches every node exactly once, on a line, a
 * ring, a random graph, and while nodes are being stopped.
 */
class GossipNetworkTest {

  private static final String TOPIC = "consensus";

  @TempDir Path root;

  @Test
  void onALineOfFiveABroadcastFromOneEndArrivesOnceAtEveryNode() throws Exception {
    try (SimNetwork net = new SimNetwork(SimGraph.line(5), root, TOPIC, Map.of())) {
      net.start();
      String id = net.broadcast(0, io.vertx.core.buffer.Buffer.buffer("block 1 vote"));
      DeliveryLog.Track track = net.log().track(id);
      BitSet others = new BitSet();
      others.set(1, 5);
      soon().until(() -> track.nanosToReach(others) >= 0 && net.gossipCount("received") == 4);

      for (int node = 1; node < 5; node++) {
        assertThat(track.deliveries(node)).as("deliveries at node %d", node).isEqualTo(1);
      }
      assertThat(track.deliveries(0)).as("never delivered back to its origin").isZero();
      assertThat(net.gossipCount("duplicate")).as("a line has no second path").isZero();
      assertThat(net.gossipCount("forwarded")).as("0→1, 1→2, 2→3, 3→4").isEqualTo(4);
      assertThat(net.log().untracked()).as("every delivery carries the message id").isZero();
    }
  }

  @Test
  void onARingOf32EveryBroadcastReachesEveryNodeExactlyOnce() throws Exception {
    try (SimNetwork net = new SimNetwork(SimGraph.ring(32), root, TOPIC, Map.of())) {
      net.start();
      SimReport report = GossipSimulation.run(net, settings(200, 0, 1));
      System.out.println(report.toText());

      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(200);
      assertThat(report.extraDeliveries()).isZero();
      assertThat(report.untrackedDeliveries()).isZero();
      // Two waves go round from the origin: each node hears a message once, except where they meet.
      assertThat(report.receptionsPerNodePerMessage()).isBetween(0.9, 1.2);
    }
  }

  @Test
  void onARandomDegree8GraphOf32EveryBroadcastReachesEveryNodeExactlyOnce() throws Exception {
    SimGraph graph = SimGraph.randomRegular(32, 8, new Random(7));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, Map.of())) {
      net.start();
      SimReport report = GossipSimulation.run(net, settings(200, 0, 2));
      System.out.println(report.toText());

      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(200);
      assertThat(report.extraDeliveries()).isZero();
      assertThat(report.untrackedDeliveries()).isZero();
      // Flooding: the origin sends 8 copies, every other node forwards 7, so (8 + 31 × 7) / 32 =
      // 7.03
      // receptions per node (a duplicate still in flight when counted makes it a little less).
      assertThat(report.receptionsPerNodePerMessage()).isBetween(6.5, 7.04);
    }
  }

  @Test
  void withThirtyPercentOfNodesStoppedEveryMessageReachesEveryLiveNodeConnectedToItsOrigin()
      throws Exception {
    SimGraph graph = SimGraph.randomRegular(32, 4, new Random(11));
    try (SimNetwork net = new SimNetwork(graph, root, TOPIC, Map.of())) {
      net.start();
      SimReport report = GossipSimulation.run(net, settings(150, 0.3, 3));
      System.out.println(report.toText());

      assertThat(report.killed()).isEqualTo(10);
      assertThat(report.deliveryRatio()).isEqualTo(1.0);
      assertThat(report.messagesReachingAll()).isEqualTo(150);
      assertThat(report.extraDeliveries()).isZero();
    }
  }

  private static GossipSimulation.Settings settings(int messages, double churn, long seed) {
    return new GossipSimulation.Settings(messages, 200, 500, 0, churn, false, seed, 15);
  }

  /**
   * Waits for a condition of the simulated network: looks at once, then every 10 ms, for at most 10
   * s.
   */
  static ConditionFactory soon() {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .pollInSameThread();
  }
}
