package network.canopy.p2p.gossipsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import network.canopy.p2p.gossip.LazyParams;
import org.junit.jupiter.api.Test;

class GossipSimRunTest {

  private static final int[][] GRAPH = RandomGraphs.regular(100, 8, new Random(3));

  private static SimResult run(boolean lazy, int payload, double churn) {
    return GossipSimRun.run(
        new GossipSimRun.Settings(
            GRAPH,
            lazy,
            10,
            60,
            payload,
            1000,
            churn,
            churn > 0,
            LinkModel.WAN,
            LazyParams.DEFAULTS,
            5));
  }

  @Test
  void floodingSendsEveryNodeAboutDegreeMinusOneCopies() {
    SimResult flood = run(false, 256, 0);
    assertThat(flood.deliveryRatio()).isEqualTo(1.0);
    // origin 8 copies, every other node 7: (8 + 99 × 7) / 100 = 7.01
    assertThat(flood.receptionsPerNode()).isBetween(6.9, 7.011);
    assertThat(flood.announcementBytesPerNode()).isZero();
  }

  @Test
  void lazyPushDeliversEverythingWithAboutOneCopyPerNode() {
    SimResult lazy = run(true, 256, 0);
    SimResult flood = run(false, 256, 0);
    assertThat(lazy.deliveryRatio()).isEqualTo(1.0);
    assertThat(lazy.receptionsPerNode()).isLessThan(1.2);
    assertThat(lazy.bytesSentPerNode()).isLessThan(flood.bytesSentPerNode() / 2);
    assertThat(lazy.announcementBytesPerNode()).isPositive();
  }

  @Test
  void largePayloadsCrossTheTreeWithFewDuplicates() {
    SimResult lazy = run(true, 1 << 20, 0);
    assertThat(lazy.deliveryRatio()).isEqualTo(1.0);
    assertThat(lazy.receptionsPerNode()).isLessThan(1.5);
  }

  @Test
  void withThirtyPercentChurnTheTreeRepairsAndEveryStableNodeGetsEveryMessage() {
    SimResult lazy = run(true, 256, 0.3);
    assertThat(lazy.killed()).isEqualTo(30);
    assertThat(lazy.deliveryRatio()).isEqualTo(1.0);
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    assertThat(run(true, 256, 0)).isEqualTo(run(true, 256, 0));
  }
}
