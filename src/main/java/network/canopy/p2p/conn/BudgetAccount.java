package network.canopy.p2p.conn;

import io.vertx.core.Vertx;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * One connection's account with the node's {@link MemoryBudget}: the inbox and reassembly bytes it
 * holds, asked for before they are taken; when it must stop reading (room refused, or it is among
 * the largest holders while received data is short); and when holding part of a message without
 * progress past {@link #STALL_DEADLINE_MS} while the budget is short ends the connection.
 * Context-confined.
 */
final class BudgetAccount {

  /**
   * How long a connection may hold part of a message without any packet of it arriving, while
   * received data is past the pause threshold, before it is closed ({@code STALLED_MESSAGE}). Time
   * it spends paused counts too: a stalled holder must not keep its room by being paused.
   */
  static final long STALL_DEADLINE_MS = 5_000;

  /** How often a paused connection looks whether it may read again. */
  private static final long CHECK_MS = 10;

  private final Vertx vertx;
  private final MemoryBudget budget;
  private final Runnable pauseChanged;
  private final LongSupplier oldestPartNanos;
  private final Consumer<String> stalled;
  private long inbox;
  private long reassembly;

  /** Room was refused since the last check: stop reading whatever the share. */
  private boolean refused;

  private boolean paused;
  private boolean started;
  private boolean stopped;
  private long timer = -1;

  /**
   * @param pauseChanged called when {@link #paused()} changes
   * @param oldestPartNanos when the oldest topic with a message in progress last got a packet, or 0
   * @param stalled closes the connection (the detail says why)
   */
  BudgetAccount(
      Vertx vertx,
      MemoryBudget budget,
      Runnable pauseChanged,
      LongSupplier oldestPartNanos,
      Consumer<String> stalled) {
    this.vertx = vertx;
    this.budget = budget;
    this.pauseChanged = pauseChanged;
    this.oldestPartNanos = oldestPartNanos;
    this.stalled = stalled;
  }

  void start() {
    started = true;
    budget.holderStarted();
  }

  /** Asks room for {@code bytes} more reassembly; a refusal stops reading after this frame. */
  boolean tryHold(long bytes) {
    if (budget.tryAcquire(MemoryBudget.Pool.REASSEMBLY, bytes)) {
      reassembly += bytes;
      return true;
    }
    refused = true;
    return false;
  }

  /** Room for a whole announced message ahead of its data; a refusal changes nothing. */
  boolean tryHoldWhole(long bytes) {
    if (budget.tryAcquireAhead(bytes)) {
      reassembly += bytes;
      return true;
    }
    return false;
  }

  /** Reassembly taken without room: data already read. */
  void hold(long bytes) {
    budget.add(MemoryBudget.Pool.REASSEMBLY, bytes);
    reassembly += bytes;
    refused = true;
  }

  void released(long bytes) {
    budget.release(MemoryBudget.Pool.REASSEMBLY, bytes);
    reassembly -= bytes;
  }

  /**
   * A complete message waits in an inbox; it is in hand, so it is kept even when room is refused.
   */
  void inboxAdded(long bytes) {
    if (!budget.tryAcquire(MemoryBudget.Pool.INBOX, bytes)) {
      budget.add(MemoryBudget.Pool.INBOX, bytes);
      refused = true;
    }
    inbox += bytes;
  }

  void inboxTaken(long bytes) {
    budget.release(MemoryBudget.Pool.INBOX, bytes);
    inbox -= bytes;
  }

  long held() {
    return inbox + reassembly;
  }

  boolean paused() {
    return paused;
  }

  /**
   * After each frame and each drained inbox: stop reading when room ran out, close a stalled
   * holder.
   */
  void check() {
    if (stopped) {
      return;
    }
    if (closeIfStalled()) {
      return;
    }
    if (!paused && (refused || budget.mustPause(held()))) {
      paused = true;
      budget.countPause();
      pauseChanged.run();
      // Others free the budget, not this connection's traffic: look again until there is room.
      timer = vertx.setPeriodic(CHECK_MS, id -> whilePaused());
    }
    refused = false;
  }

  private void whilePaused() {
    if (stopped || closeIfStalled()) {
      return;
    }
    if (budget.mayResume(held())) {
      cancelTimer();
      paused = false;
      pauseChanged.run();
    }
  }

  private boolean closeIfStalled() {
    long since = oldestPartNanos.getAsLong();
    if (since == 0
        || reassembly <= 0
        || !budget.underPressure()
        || System.nanoTime() - since < STALL_DEADLINE_MS * 1_000_000) {
      return false;
    }
    cancelTimer();
    stopped = true; // closing: nothing more to decide
    budget.countStalledClose();
    stalled.accept(
        "held "
            + reassembly
            + " bytes of unfinished messages for over "
            + STALL_DEADLINE_MS
            + " ms without progress while the node's memory budget was short");
    return true;
  }

  /** The connection closed: gives everything back. */
  void stop() {
    if (started) {
      budget.holderStopped();
      started = false;
    }
    stopped = true;
    cancelTimer();
    budget.release(MemoryBudget.Pool.INBOX, inbox);
    budget.release(MemoryBudget.Pool.REASSEMBLY, reassembly);
    inbox = 0;
    reassembly = 0;
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
