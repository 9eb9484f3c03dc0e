package network.canopy.p2p.conn;

import io.vertx.core.Vertx;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Liveness and round-trip time: queues a PING every interval, answers PINGs with PONGs, and closes
 * the connection when no frame at all has arrived for the timeout (time the socket spent paused by
 * this node does not count). Context-confined.
 */
final class Heartbeat {

  /** What the heartbeat needs from its connection. */
  interface Events {
    void wakeSender();

    void onRtt(long nanos);

    void timedOut(String detail);
  }

  private final Vertx vertx;
  private final ControlOutbox outbox;
  private final Receiver receiver;
  private final Events events;
  private final long intervalNanos;
  private final long timeoutNanos;
  private final long tickMs;
  private long nextNonce = ThreadLocalRandom.current().nextLong();
  private long lastPingNanos = System.nanoTime();
  private long timer = -1;

  Heartbeat(
      Vertx vertx,
      ControlOutbox outbox,
      Receiver receiver,
      long intervalMs,
      long timeoutMs,
      Events events) {
    this.vertx = vertx;
    this.outbox = outbox;
    this.receiver = receiver;
    this.events = events;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    // Tick often enough that a timeout is noticed within a quarter of it.
    this.tickMs = Math.max(1, Math.min(intervalMs, timeoutMs / 4));
  }

  /** Pings at once, so the link's round trip is known before bulk data can queue in front of it. */
  void start() {
    lastPingNanos = System.nanoTime();
    outbox.ping(nextNonce++);
    events.wakeSender();
    timer = vertx.setPeriodic(tickMs, id -> tick());
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  void onPing(long nonce) {
    outbox.pong(nonce);
    events.wakeSender();
  }

  void onPong(long nonce) {
    long rtt = outbox.rttFor(nonce, System.nanoTime());
    if (rtt >= 0) {
      events.onRtt(rtt);
    }
  }

  private void tick() {
    long now = System.nanoTime();
    long silent = now - receiver.lastInboundNanos();
    if (silent >= timeoutNanos) {
      events.timedOut("no frame for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms");
      return;
    }
    if (now - lastPingNanos >= intervalNanos && !outbox.pingPending()) {
      lastPingNanos = now;
      outbox.ping(nextNonce++);
      events.wakeSender();
    }
  }
}
