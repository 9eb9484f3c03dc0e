package network.canopy.p2p.conn;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.FrameEncoder;
import network.canopy.p2p.wire.WireLimits;

/**
 * Moves frames from the {@link FrameScheduler} to the socket, one at a time and only while the
 * socket's small write queue has room, so the scheduler decides as late as possible and an urgent
 * packet waits behind at most the few frames already handed to the socket. Waits for the send rate
 * limit on a timer and for the socket on its drain handler. Context-confined except {@link #wake}.
 */
final class SendPump {
  /**
   * Frames the socket may hold unwritten before the pump stops handing it more. One: every byte
   * handed to Netty is a byte an urgent packet cannot overtake, and the kernel's own unsent queue
   * (TCP_NOTSENT_LOWAT, 128 KiB) already keeps the link busy while the pump refills; three frames
   * (192 KiB more ahead of a consensus message) bought no throughput in the bench.
   */
  static final int WRITE_QUEUE_FRAMES = 1;

  /** Frames written per event-loop task before yielding to other connections on the same loop. */
  private static final int MAX_FRAMES_PER_TASK = 16;

  private final Vertx vertx;
  private final Context context;
  private final EncryptedConn conn;
  private final FrameScheduler scheduler;
  private final TokenBucket bucket;

  /**
   * One plaintext buffer per event-loop thread, not per connection (64 KiB each, most of an idle
   * peer's cost): a frame is built and sealed into a new array within one call on this thread.
   */
  private static final ThreadLocal<byte[]> FRAME =
      ThreadLocal.withInitial(() -> new byte[WireLimits.MAX_FRAME_PLAINTEXT]);

  private final AtomicBoolean wakePending = new AtomicBoolean();
  private long rateTimer = -1;
  private boolean stopped;
  volatile long framesOut;
  volatile long wireBytesOut;

  /**
   * @param bucket the send rate limit, or null for none
   */
  SendPump(Vertx vertx, EncryptedConn conn, FrameScheduler scheduler, TokenBucket bucket) {
    this.vertx = vertx;
    this.context = conn.context();
    this.conn = conn;
    this.scheduler = scheduler;
    this.bucket = bucket;
  }

  void start() {
    conn.setWriteQueueMaxSize(WRITE_QUEUE_FRAMES * WireLimits.MAX_FRAME_BYTES);
    conn.drainHandler(v -> pump());
  }

  /**
   * Any thread: makes sure a pump runs on the context soon (coalesces many wakes into one task).
   */
  void wake() {
    if (wakePending.compareAndSet(false, true)) {
      context.runOnContext(
          v -> {
            wakePending.set(false);
            pump();
          });
    }
  }

  /** Writes frames while there is work, the socket has room and the rate limit allows. */
  void pump() {
    byte[] frame = FRAME.get();
    for (int frames = 0; !stopped && !conn.isClosed() && scheduler.hasWork(); frames++) {
      if (conn.writeQueueFull()) {
        return; // the drain handler pumps again
      }
      long now = System.nanoTime();
      if (bucket != null && !bucket.ready(now)) {
        armRateTimer(bucket.nanosUntilReady(now));
        return;
      }
      if (frames == MAX_FRAMES_PER_TASK) {
        wake();
        return;
      }
      int length = scheduler.fill(frame, now);
      if (length == 0) {
        return; // only emptied topics were left in the ring
      }
      write(frame, length, now);
    }
  }

  /** Sends one control message at once, ahead of everything and regardless of limits (GOODBYE). */
  void sendNow(ControlMessage message) {
    if (stopped || conn.isClosed()) {
      return;
    }
    byte[] frame = FRAME.get();
    write(frame, ControlOutbox.writeMessage(frame, 0, message), System.nanoTime());
  }

  /** Stops for good: cancels the rate timer. */
  void stop() {
    stopped = true;
    if (rateTimer >= 0) {
      vertx.cancelTimer(rateTimer);
      rateTimer = -1;
    }
  }

  private void write(byte[] frame, int length, long now) {
    conn.send(frame, 0, length);
    int wire = FrameEncoder.encodedLength(length);
    framesOut++;
    wireBytesOut += wire;
    if (bucket != null) {
      bucket.spend(wire, now);
    }
  }

  private void armRateTimer(long nanos) {
    if (rateTimer >= 0) {
      return;
    }
    long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
    rateTimer =
        vertx.setTimer(
            ms,
            id -> {
              rateTimer = -1;
              pump();
            });
  }
}
