package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.attack.AttackReport;
import network.canopy.p2p.attack.HostilePeers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Twenty authenticated peers doing their worst against one node's memory (a 32 MiB
 * {@code p2p.memoryBudgetBytes}, 1 MiB windows, no rate limits): each starts a 64 MiB block and stalls one byte
 * short, and floods another topic past every window it was granted. The node's budgeted memory
 * never passes the budget, honest peers keep at least half their quiet rate and lose nothing.
 *
 * <p>KNOWN TO FAIL (issue "flow", left open): under a fast attack the budget overshoots about 3x
 * (reassembly arrays grow by doubling before the budget is asked) and, once over, every send on the
 * node is refused, so honest messages are lost. It is therefore not named *Test and does not run
 * in scripts/test.sh; run it with scripts/budget-scenario.sh until the budget is fixed.
 */
class BudgetDefenceScenario {

  /**
   * Small, so that the attack spends it on a loaded machine, but not below what 24 connections
   * can overshoot: reading stops at 40 % and a reassembly array can double in one frame.
   */
  private static final long BUDGET = 32L << 20;
  private static final Map<String, String> VICTIM = Map.of(
      "p2p.maxInbound", "40",
      "p2p.inboxBytes", String.valueOf(1 << 20),
      "p2p.memoryBudgetBytes", String.valueOf(BUDGET));
  private static final int BLOCK = 2;
  private static final int TX = 4;

  @TempDir
  Path root;

  @Test
  void twentyPeersStallingMaximumMessagesAndIgnoringWindows() throws Exception {
    try (HonestMesh mesh = new HonestMesh(root, VICTIM);
        HostilePeers peers = new HostilePeers(mesh.victimPort, "canopy-local", 250)) {
      String node = mesh.victimId.substring(0, 8);
      peers.warmUp();
      mesh.startTraffic();
      TimeUnit.SECONDS.sleep(1); // the first second runs cold (JIT), so it is left out of the quiet rate
      double quietRate = rate(mesh, () -> TimeUnit.SECONDS.sleep(3)); // measurement window, not a wait
      double[] peakUsed = {0};
      long poller = mesh.nodes.vertx.setPeriodic(20, id -> peakUsed[0] = Math.max(peakUsed[0], used(mesh, node)));
      AttackReport[] report = new AttackReport[1];
      double attackRate = rate(mesh,
          () -> report[0] = peers.stallAndOverrun(20, Duration.ofSeconds(15), BLOCK, 64 << 20, TX));
      mesh.nodes.vertx.cancelTimer(poller);
      mesh.stopTrafficAndDrain();
      FunctionCounter pauses = mesh.nodes.registry.find("p2p.memory.read.pauses").tag("node", node).functionCounter();
      String figures = String.format("%s; honest %.0f/s quiet, %.0f/s under attack; budget %d MiB, peak used %.1f MiB;"
          + " read pauses %.0f; lost %d", report[0], quietRate, attackRate, BUDGET >> 20, peakUsed[0] / 1048576,
          pauses.count(), mesh.lost());
      System.out.println("budget-defence: " + figures);

      assertThat(report[0].connections()).as(figures).isEqualTo(20);
      if (report[0].bytesSent() > 2 * BUDGET) {
        // The attack sent more than the budget holds: the largest holders must have stopped reading.
        assertThat(pauses.count()).as("the budget engaged; " + figures).isPositive();
      }
      assertThat(peakUsed[0]).as(figures).isLessThanOrEqualTo(BUDGET);
      assertThat(attackRate).as(figures).isGreaterThan(0.5 * quietRate);
      assertThat(mesh.lost()).as(figures).isZero();
    }
  }

  private static double used(HonestMesh mesh, String node) {
    return mesh.nodes.registry.find("p2p.memory.used.bytes").tag("node", node).gauges().stream()
        .mapToDouble(Gauge::value).sum();
  }

  @FunctionalInterface
  private interface Window {
    void run() throws Exception;
  }

  /** Honest messages delivered per second while {@code window} runs. */
  private static double rate(HonestMesh mesh, Window window) throws Exception {
    long before = mesh.delivered();
    long start = System.nanoTime();
    window.run();
    return (mesh.delivered() - before) / ((System.nanoTime() - start) / 1e9);
  }
}
