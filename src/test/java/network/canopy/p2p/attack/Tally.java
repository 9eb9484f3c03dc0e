package network.canopy.p2p.attack;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

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

  /** Polls {@code condition} every 20 ms until it holds or {@code limit} has passed. */
  static void awaitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  AttackReport report() {
    return new AttackReport(
        kind,
        attempts.get(),
        connections.get(),
        connectFailed.get(),
        closedByNode.get(),
        peakOpen.get(),
        longestLifeMs.get(),
        bytes.get(),
        messages.get());
  }
}
