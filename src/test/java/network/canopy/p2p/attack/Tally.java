package network.canopy.p2p.attack;

import java.util.concurrent.atomic.AtomicLong;

/** The counters of one attack in progress, updated from the attacker's event loops. */
final class Tally {
  final String kind;
  final AtomicLong attempts = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final AtomicLong connectFailed = new AtomicLong();
  final AtomicLong closedByNode = new AtomicLong();
  final AtomicLong peakOpen = new AtomicLong();
  final AtomicLong longestLifeMs = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  final AtomicLong messages = new AtomicLong();

  Tally(String kind) {
    this.kind = kind;
  }

  AttackReport report() {
    return new AttackReport(kind, attempts.get(), connections.get(), connectFailed.get(), closedByNode.get(),
        peakOpen.get(), longestLifeMs.get(), bytes.get(), messages.get());
  }
}
