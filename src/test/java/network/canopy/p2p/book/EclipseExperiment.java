package network.canopy.p2p.book;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.testkit.ManualClock;

/**
 * The eclipse experiment of issue 18 as a plain simulation against the real book: an honest network
 * of 500 addresses in 200 groups, an attacker with 10,000 addresses in 32 groups. The victim first
 * runs two hours among honest peers (exchange every 30 s, feeler every 2 min), then the attacker
 * holds all 21 inbound slots for two hours, connecting from 4 fresh addresses every 30 s and
 * answering the victim's address requests with 64 of its addresses each time; the victim's 7
 * outbound peers stay honest. The victim restarts and fills its outbound slots from the book.
 */
final class EclipseExperiment {

  /** What the experiment does to a book; one implementation drives {@link PeerBook}. */
  interface Victim {
    /** A peer-exchange entry from the peer at {@code source}. */
    void learned(String id, HostPort address, HostPort source);

    void inbound(String id, HostPort address);

    /** A dial (outbound or feeler) to {@code id} at {@code address} completed its handshake. */
    void proven(String id, HostPort address);

    /** The next feeler target, or null. */
    String feelerTarget();

    /**
     * Restarts (save and load) and picks {@code slots} peers to dial; anchors first if it keeps
     * them.
     */
    List<String> restartAndFill(int slots, List<String> outboundAtShutdown);
  }

  static final int HONEST = 500;
  static final int HONEST_GROUPS = 200;
  static final int ATTACKER = 10_000;
  static final int ATTACKER_GROUPS = 32;
  static final int OUTBOUND = 7;
  static final int INBOUND = 21;
  static final int ROUNDS = 240; // two hours of 30 s exchange rounds, each phase
  static final int WANTED = 64;

  final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final Random random;
  private int attackerPushed;
  private int attackerInbound;

  EclipseExperiment(long seed) {
    this.random = new Random(seed);
  }

  static String honestId(int i) {
    return String.format("%064x", 0x100000L + i);
  }

  static String attackerId(int i) {
    return String.format("%064x", 0xa00000L + i);
  }

  static boolean isAttacker(String id) {
    return id.startsWith("0".repeat(58) + "a");
  }

  static HostPort honestAddress(int i) {
    int group = i % HONEST_GROUPS;
    return new HostPort("20." + group + "." + (i / HONEST_GROUPS) + ".1", 9001);
  }

  static HostPort attackerAddress(int i) {
    int group = i % ATTACKER_GROUPS;
    int n = i / ATTACKER_GROUPS;
    return new HostPort("66." + group + "." + (n / 250) + "." + (1 + n % 250), 9001);
  }

  /**
   * Runs both phases and the restart; returns how many of the filled outbound slots are the
   * attacker's.
   */
  int run(Victim victim) {
    List<Integer> outbound = new ArrayList<>();
    while (outbound.size() < OUTBOUND) {
      int i = random.nextInt(HONEST);
      if (!outbound.contains(i)) {
        outbound.add(i);
        victim.proven(honestId(i), honestAddress(i));
      }
    }
    for (int round = 0; round < ROUNDS; round++) {
      honestResponse(victim, outbound.get(random.nextInt(OUTBOUND)));
      step(victim, round);
    }
    for (int round = 0; round < ROUNDS; round++) {
      for (int k = 0; k < 4; k++) {
        int a = attackerInbound++ % ATTACKER;
        victim.inbound(attackerId(a), attackerAddress(a));
      }
      // A random connected peer is asked: 21 inbound attackers, 7 outbound honest peers.
      if (random.nextInt(OUTBOUND + INBOUND) < INBOUND) {
        attackerResponse(victim);
      } else {
        honestResponse(victim, outbound.get(random.nextInt(OUTBOUND)));
      }
      step(victim, round);
    }
    List<String> anchors = outbound.stream().map(EclipseExperiment::honestId).toList();
    return (int)
        victim.restartAndFill(OUTBOUND, anchors).stream()
            .filter(EclipseExperiment::isAttacker)
            .count();
  }

  private void step(Victim victim, int round) {
    clock.advance(30_000);
    if (round % 4 == 3) {
      String target = victim.feelerTarget();
      if (target != null) {
        int n = Integer.parseInt(target.substring(58), 16);
        victim.proven(
            target,
            isAttacker(target) ? attackerAddress(n - 0xa00000) : honestAddress(n - 0x100000));
      }
    }
  }

  private void honestResponse(Victim victim, int responder) {
    Set<Integer> sent = new HashSet<>();
    while (sent.size() < WANTED) {
      sent.add(random.nextInt(HONEST));
    }
    for (int i : sent) {
      victim.learned(honestId(i), honestAddress(i), honestAddress(responder));
    }
  }

  private void attackerResponse(EclipseExperiment.Victim victim) {
    HostPort source = attackerAddress(random.nextInt(Math.max(1, attackerInbound)));
    for (int k = 0; k < WANTED; k++) {
      int a = attackerPushed++ % ATTACKER;
      victim.learned(attackerId(a), attackerAddress(a), source);
    }
  }
}
