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
 * Twenty authenticated peers doing their worst against one node's memory (a 32 MiB {@code
 * p2p.memoryBudgetBytes}, 1 MiB windows, no rate limits): each starts a 64 MiB block and stalls one
 * byte short, and floods another topic past every window it was granted. The node's budgeted memory
 * never passes the budget, the stalled holders are closed, and the honest peers' messages all
 * arrive (both ways: inbound data cannot take the room of the node's sends). The honest rate under
 * attack against the quiet one is printed as a measurement, not asserted.
 */
class BudgetDefenceTest {

  /** Small, so that the attack spends it even on a loaded machine. */
  private static final long BUDGET = 32L << 20;

  private static final Map<String, String> VICTIM =
      Map.of(
          "p2p.maxInbound", "40",
          "p2p.inboxBytes", String.valueOf(1 << 20),
          "p2p.memoryBudgetBytes", String.valueOf(BUDGET));
  private static final int BLOCK = 2;
  private static final int TX = 4;

  @TempDir Path root;

  @Test
  void twentyPeersStallingMaximumMessagesAndIgnoringWindows() throws Exception {
    try (HonestMesh mesh = new HonestMesh(root, VICTIM);
        HostilePeers peers = new HostilePeers(mesh.victimPort, "canopy-local", 250)) {
      String node = mesh.victimId.substring(0, 8);
      peers.warmUp();
      mesh.startTraffic();
      TimeUnit.SECONDS.sleep(
          1); // the first second runs cold (JIT), so it is left out of the quiet rate
      double quietRate =
          rate(mesh, () -> TimeUnit.SECONDS.sleep(3)); // measurement window, not a wait
      double[] peakUsed = {0};
      Map<String, Double> peakByPool = new java.util.concurrent.ConcurrentHashMap<>();
      long poller =
          mesh.nodes.vertx.setPeriodic(
              20,
              id -> {
                peakUsed[0] = Math.max(peakUsed[0], used(mesh, node));
                mesh.nodes
                    .registry
                    .find("p2p.memory.used.bytes")
                    .tag("node", node)
                    .gauges()
                    .forEach(
                        g ->
                            peakByPool.merge(
                                g.getId().getTag("pool"), g.value() / 1048576, Math::max));
              });
      AttackReport[] report = new AttackReport[1];
      double attackRate =
          rate(
              mesh,
              () ->
                  report[0] =
                      peers.stallAndOverrun(20, Duration.ofSeconds(10), BLOCK, 64 << 20, TX));
      mesh.nodes.vertx.cancelTimer(poller);
      mesh.stopTrafficAndDrain();
      double pauses = counter(mesh, node, "p2p.memory.read.pauses");
      double stalled = counter(mesh, node, "p2p.memory.stalled.closes");
      String figures =
          String.format(
              "%s; honest %.0f/s quiet, %.0f/s under attack (ratio %.2f); budget %d MiB,"
                  + " peak used %.1f MiB (peak MiB by pool %s); read pauses %.0f; stalled closes %.0f; lost %d",
              report[0],
              quietRate,
              attackRate,
              attackRate / quietRate,
              BUDGET >> 20,
              peakUsed[0] / 1048576,
              peakByPool,
              pauses,
              stalled,
              mesh.lost());
      System.out.println("budget-defence: " + figures);

      assertThat(report[0].connections()).as(figures).isEqualTo(20);
      if (report[0].bytesSent() > BUDGET) {
        // The attack sent more than received data may hold: the budget must have engaged.
        assertThat(pauses).as("the budget engaged; " + figures).isPositive();
      }
      assertThat(peakUsed[0]).as(figures).isLessThanOrEqualTo(BUDGET);
      assertThat(mesh.sendFailures()).as("no honest send refused; " + figures).isZero();
      assertThat(mesh.lost()).as(figures).isZero();
    }
  }

  private static double counter(HonestMesh mesh, String node, String name) {
    FunctionCounter c = mesh.nodes.registry.find(name).tag("node", node).functionCounter();
    return c == null ? 0 : c.count();
  }

  private static double used(HonestMesh mesh, String node) {
    return mesh.nodes.registry.find("p2p.memory.used.bytes").tag("node", node).gauges().stream()
        .mapToDouble(Gauge::value)
        .sum();
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
