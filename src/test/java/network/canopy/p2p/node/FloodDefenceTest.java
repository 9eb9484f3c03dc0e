package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import network.canopy.p2p.attack.AttackReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods against one node while four honest peers talk to it ({@link FloodHarness}): the node stays
 * up, /health answers UP throughout, honest peers keep delivering during the attack and lose
 * nothing, and afterwards the heap is back near its baseline, every hostile socket is closed (by
 * the node, for those it must close) and the descriptor count is back to its baseline. How fast
 * honest traffic flows under attack, and how soon the handshake deadline cuts a socket, are speed
 * figures: FloodDefenceScenario (scripts/speed-scenarios.sh) checks them.
 */
class FloodDefenceTest {

  @TempDir Path root;

  @Test
  void tenThousandConnectionAttemptsInTenSeconds() throws Exception {
    AttackReport r = survived("connect-flood");
    assertThat(r.attempts()).isEqualTo(10_000);
    assertThat(r.closedByNode())
        .as("silent sockets the node closed itself")
        .isEqualTo(r.connections());
  }

  @Test
  void aThousandSlowlorisHandshakes() throws Exception {
    AttackReport r = survived("slowloris");
    assertThat(r.connections()).isEqualTo(1_000);
    assertThat(r.closedByNode()).as("trickling sockets the node closed itself").isEqualTo(1_000);
  }

  @Test
  void twoHundredGarbageSenders() throws Exception {
    AttackReport r = survived("garbage");
    // All but those still open when the attack stopped were cut by the node.
    assertThat(r.closedByNode())
        .as("garbage connections the node cut")
        .isGreaterThanOrEqualTo(r.connections() - 200);
  }

  @Test
  void twentyAuthenticatedFlooders() throws Exception {
    FloodHarness.Outcome o = FloodHarness.underAttack(root, "authenticated-flood");
    assertSurvived(o);
    // Each flooder is held to the receive limit: what reached the application is bounded by it
    // (6 s of flood, plus the bucket's burst and what the kernel buffered, taken as 4 s more).
    // A loaded machine only delivers less, so this upper bound holds whatever the load.
    long bound = 20L * FloodHarness.RECV_RATE * 10 / 1024;
    assertThat(o.foreignAtVictim())
        .as("flood messages delivered")
        .isPositive()
        .isLessThanOrEqualTo(bound);
    assertThat(o.report().messagesSent())
        .as("flood messages written")
        .isGreaterThan(o.foreignAtVictim());
  }

  private AttackReport survived(String attack) throws Exception {
    FloodHarness.Outcome o = FloodHarness.underAttack(root, attack);
    assertSurvived(o);
    return o.report();
  }

  private static void assertSurvived(FloodHarness.Outcome o) {
    assertThat(o.honestDuringAttack())
        .as(o.figures() + "honest messages delivered during the attack")
        .isPositive();
    assertThat(o.lost()).as(o.figures()).isZero();
    assertThat(o.healthChecks()).as(o.figures()).isPositive();
    assertThat(o.healthNotUp()).as(o.figures()).isZero();
    assertThat(o.heapAfterMiB()).as(o.figures()).isLessThanOrEqualTo(o.heapBaselineMiB() + 64);
    assertThat(o.attackerSocketsOpen()).as(o.figures()).isZero();
    assertThat(o.fdsAfter()).as(o.figures()).isLessThanOrEqualTo(o.fdBaseline() + 2);
  }
}
