package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Inbound slots full of attackers from a few groups: a newcomer gets in, protected peers stay. */
class InboundEvictionTest {

  private static final long NOW = 1_000_000_000L;

  /**
   * 21 slots: 17 attackers who connected first from 2 groups, 12 and 5 (quiet, slow), and 4 honest
   * peers of their own groups: the lowest latency, the latest message, the longest uptime, and a
   * plain one. On 500 nodes (fresh eviction keys) 30 honest newcomers from new groups arrive one by
   * one: each gets in; of the first 10 evicted at least 7 are attackers, more from the crowded
   * group (the youngest peer of the largest unprotected group goes, which can be a newcomer); the
   * three protected peers are never evicted.
   */
  @Test
  void newcomersEvictAttackersOfTheMostRepresentedGroupAndNeverAProtectedPeer() {
    for (int node = 0; node < 500; node++) {
      InboundEviction eviction = new InboundEviction();
      List<InboundEviction.Candidate> inbound = new ArrayList<>();
      for (int i = 0; i < 17; i++) {
        String group = i % 3 == 2 ? "v4:66.2" : "v4:66.1"; // 12 and 5, connected in turns
        inbound.add(
            new InboundEviction.Candidate(
                "attacker" + i, group, 80_000_000, 0, NOW - 3_600_000 + i));
      }
      inbound.add(new InboundEviction.Candidate("fast", "v4:20.1", 1_000_000, 0, NOW - 1_000));
      inbound.add(
          new InboundEviction.Candidate("useful", "v4:20.2", 90_000_000, NOW - 5, NOW - 1_000));
      inbound.add(new InboundEviction.Candidate("old", "v4:20.3", 90_000_000, 0, NOW - 86_400_000));
      inbound.add(new InboundEviction.Candidate("plain", "v4:20.4", 90_000_000, 0, NOW - 2_000));
      Map<String, Integer> evictedByGroup = new HashMap<>();
      for (int newcomer = 0; newcomer < 30; newcomer++) {
        String victim = eviction.select(inbound).orElseThrow();
        InboundEviction.Candidate gone =
            inbound.stream().filter(c -> c.id().equals(victim)).findFirst().orElseThrow();
        if (newcomer < 10) {
          evictedByGroup.merge(gone.group(), 1, Integer::sum);
        }
        assertThat(victim).as("a protected peer").isNotIn("fast", "useful", "old");
        inbound.remove(gone);
        inbound.add(
            new InboundEviction.Candidate(
                "newcomer" + newcomer, "v4:30." + newcomer, 50_000_000, 0, NOW + newcomer));
      }
      int attackers =
          evictedByGroup.getOrDefault("v4:66.1", 0) + evictedByGroup.getOrDefault("v4:66.2", 0);
      assertThat(attackers).as("attackers among the first 10 evicted").isGreaterThanOrEqualTo(7);
      assertThat(evictedByGroup.getOrDefault("v4:66.1", 0))
          .as("the crowded group pays most")
          .isGreaterThan(evictedByGroup.getOrDefault("v4:66.2", 0));
    }
  }

  @Test
  void whenEveryPeerIsProtectedTheNewcomerIsRefused() {
    List<InboundEviction.Candidate> inbound =
        List.of(
            new InboundEviction.Candidate("a", "v4:20.1", -1, 0, NOW),
            new InboundEviction.Candidate("b", "v4:20.1", -1, 0, NOW + 1));
    assertThat(new InboundEviction().select(inbound)).isEmpty();
  }
}
