package network.canopy.p2p.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.attack.AttackReport;
import network.canopy.p2p.attack.HostilePeers;

/**
 * One flood against a node (default limits: maxPerIp 4, 256 pending handshakes, 5 s handshake
 * deadline; plus a 256 KiB/s receive limit) while four honest peers exchange consensus messages
 * with it, and what it did to them. Attackers come from 127.0.0.2 upwards, honest peers from
 * 127.0.0.1. Figures go to target/robustness/. Shared by FloodDefenceTest (what a user notices) and
 * FloodDefenceScenario (rates and deadlines, which a loaded machine bends).
 */
final class FloodHarness {

  static final Map<String, String> VICTIM =
      Map.of(
          "p2p.maxInbound", "40", // room for the 20 authenticated flooders next to the honest peers
          "p2p.recvRateBytesPerSec", "262144");
  static final int RECV_RATE = 262_144;
  static final int CONSENSUS_TOPIC_ID = 1;

  @FunctionalInterface
  interface Attack {
    AttackReport run(HostilePeers peers) throws Exception;
  }

  /** The four floods, by name. */
  static final Map<String, Attack> ATTACKS = new LinkedHashMap<>();

  static {
    ATTACKS.put(
        "connect-flood", p -> p.silent(10_000, Duration.ofSeconds(10), Duration.ofSeconds(8)));
    ATTACKS.put(
        "slowloris", p -> p.slowloris(1_000, Duration.ofSeconds(2), Duration.ofSeconds(10)));
    ATTACKS.put("garbage", p -> p.garbage(200, Duration.ofSeconds(6)));
    ATTACKS.put(
        "authenticated-flood", p -> p.flood(20, Duration.ofSeconds(6), CONSENSUS_TOPIC_ID, 1024));
  }

  /**
   * What one attack did. Rates are honest messages delivered per second; {@code honestDuringAttack}
   * counts them; {@code foreignAtVictim} counts flood messages that reached the victim's
   * application.
   */
  record Outcome(
      AttackReport report,
      double quietRate,
      double attackRate,
      long honestDuringAttack,
      long lost,
      long healthChecks,
      long healthNotUp,
      long heapBaselineMiB,
      long heapAfterMiB,
      long fdBaseline,
      long fdsAfter,
      int attackerSocketsOpen,
      long foreignAtVictim,
      String figures) {}

  private FloodHarness() {}

  static Outcome underAttack(Path root, String name) throws Exception {
    Attack attack = ATTACKS.get(name);
    try (HonestMesh mesh = new HonestMesh(root, VICTIM);
        HostilePeers peers = new HostilePeers(mesh.victimPort, "canopy-local", 250)) {
      NodeGauges gauges = new NodeGauges(mesh.nodes, "v");
      peers.warmUp();
      long fdBaseline = NodeGauges.openFds();
      long heapBaseline = NodeGauges.retainedHeapMiB();
      mesh.startTraffic();
      TimeUnit.SECONDS.sleep(
          1); // the first second runs cold (JIT), so it is left out of the quiet rate
      double quietRate =
          rate(mesh, () -> TimeUnit.SECONDS.sleep(3)); // measurement window, not a wait
      long attackStart = mesh.delivered();
      gauges.start();
      AttackReport[] report = new AttackReport[1];
      double attackRate = rate(mesh, () -> report[0] = attack.run(peers));
      long honestDuringAttack = mesh.delivered() - attackStart;
      gauges.stop();
      mesh.stopTrafficAndDrain();
      long foreign = mesh.foreignAtVictim();
      long heapAfter = NodeGauges.retainedHeapMiB();
      long fdsAfter = NodeGauges.awaitFds(fdBaseline);
      String figures =
          String.format(
              "%s: %s%n  honest delivery %.0f/s quiet, %.0f/s under attack (%.0f%%); "
                  + "lost %d; /health %d checks, %d not UP; heap retained %d MiB before, %d MiB after, peak in use %d MiB; "
                  + "fds %d before, %d after; attacker sockets open after %d%n",
              name,
              report[0],
              quietRate,
              attackRate,
              100 * attackRate / quietRate,
              mesh.lost(),
              gauges.healthChecks(),
              gauges.healthNotUp(),
              heapBaseline,
              heapAfter,
              gauges.peakHeapMiB(),
              fdBaseline,
              fdsAfter,
              peers.openSockets());
      record(name, figures);
      return new Outcome(
          report[0],
          quietRate,
          attackRate,
          honestDuringAttack,
          mesh.lost(),
          gauges.healthChecks(),
          gauges.healthNotUp(),
          heapBaseline,
          heapAfter,
          fdBaseline,
          fdsAfter,
          peers.openSockets(),
          foreign,
          figures);
    }
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

  private static void record(String name, String figures) throws Exception {
    System.out.print(figures);
    Path dir = Path.of("target", "robustness");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".txt"), figures);
  }
}
