package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import network.canopy.p2p.attack.AttackReport;
import network.canopy.p2p.attack.HostilePeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile peers (e) lying about lengths and (f) replaying captured traffic: every such connection
 * is closed by the node itself (at once, or at the 5 s heartbeat deadline for a frame that never
 * completes), the node stays UP and no descriptor is left behind.
 */
class HostileFramesTest {

  private static final int CONSENSUS_TOPIC_ID = 1;

  @TempDir Path root;

  @Test
  void oversizedLengthClaimsAndReplaysAreCutByTheNode() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      // Every attacker here authenticates from a few addresses: lift maxPerIp out of the way.
      nodes.start(
          nodes.config(
              root.resolve("v"),
              "v",
              Map.of("p2p.maxInbound", "100", "p2p.maxPerIp", "50", "p2p.discovery", "false")));
      String listen = nodes.listenAddress("v");
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
      try (HostilePeers peers = new HostilePeers(port, "canopy-local", 4)) {
        peers.warmUp();
        long fdBaseline = NodeGauges.openFds();

        AttackReport oversized = peers.oversized(30, CONSENSUS_TOPIC_ID, Duration.ofSeconds(12));
        System.out.println(oversized);
        assertThat(oversized.connections()).isEqualTo(30);
        assertThat(oversized.closedByNode()).as(oversized.toString()).isEqualTo(30);
        assertThat(oversized.longestLifeMs()).as("heartbeat deadline 5 s").isLessThan(9_000);

        AttackReport replay = peers.replay(20, CONSENSUS_TOPIC_ID, Duration.ofSeconds(12));
        System.out.println(replay);
        assertThat(replay.connections()).isEqualTo(30); // 20 sessions + 10 transcript replays
        // 10 frame replayers and 10 transcript replays are cut; the 10 sessions whose handshake was
        // replayed elsewhere did nothing wrong and are closed by the attacker at the end.
        assertThat(replay.closedByNode()).as(replay.toString()).isEqualTo(20);

        // Descriptors first: the /health request keeps an HTTP connection (two descriptors) open.
        assertThat(NodeGauges.awaitFds(fdBaseline)).isLessThanOrEqualTo(fdBaseline + 2);
        assertThat(nodes.get(nodes.adminPort("v"), "/health").statusCode()).isEqualTo(200);
      }
    }
  }
}
