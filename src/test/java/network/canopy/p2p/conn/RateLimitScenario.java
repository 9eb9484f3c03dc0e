package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import network.canopy.p2p.conn.ConnFixture.Pair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With a sender kept busy, the bytes delivered over 3 s stay within 10% of the configured rate,
 * whether the limit is the sender's or the receiver's. Both pairs run at once to save time. A
 * loaded machine delivers less than the rate, so this accuracy check is not named *Test and runs
 * outside the suite (scripts/speed-scenarios.sh); RateLimitTest keeps what holds on any machine.
 */
class RateLimitScenario {

  private static final int TOPIC = 1;
  private static final long RATE = 2_000_000;
  private static final int MESSAGE = 16 * 1024;
  private static final long WARM_UP_MS = 500;
  private static final long WINDOW_MS = 3_000;
  private final ConnFixture net = new ConnFixture();
  private final AtomicBoolean stop = new AtomicBoolean();

  @AfterEach
  void tearDown() throws Exception {
    stop.set(true);
    net.close();
  }

  static ConnSettings settings(long sendRate, long recvRate) {
    return ConnSettings.of(List.of(new TopicSpec(TOPIC, "blocks", 4, 1 << 20, 256 * 1024, 1 << 20)))
        .withRates(sendRate, recvRate);
  }

  @Test
  void sendAndReceiveLimitsHoldWithinTenPercentOverThreeSeconds() throws Exception {
    Pair sendLimited = net.pair(settings(RATE, 0), settings(0, 0));
    Pair recvLimited = net.pair(settings(0, 0), settings(0, RATE));
    List<Thread> producers = new ArrayList<>();
    for (Pair p : List.of(sendLimited, recvLimited)) {
      Thread t = new Thread(() -> produce(p.dialer()));
      t.setDaemon(true);
      producers.add(t);
      t.start();
    }
    // The window starts after a warm-up that absorbs the initial burst of the buckets.
    long start =
        sendLimited.acceptorSeen().next().atNanos() + TimeUnit.MILLISECONDS.toNanos(WARM_UP_MS);
    long end = start + TimeUnit.MILLISECONDS.toNanos(WINDOW_MS);
    long sendLimitedBytes = bytesBetween(sendLimited.acceptorSeen(), start, end);
    long recvLimitedBytes = bytesBetween(recvLimited.acceptorSeen(), start, end);
    stop.set(true);
    double expected = RATE * WINDOW_MS / 1000.0;
    System.out.printf(
        "rate limits: %d B/s configured; delivered %.0f B/s (send limit), %.0f B/s"
            + " (receive limit)%n",
        RATE, sendLimitedBytes * 1000.0 / WINDOW_MS, recvLimitedBytes * 1000.0 / WINDOW_MS);
    assertThat((double) sendLimitedBytes).isBetween(expected * 0.9, expected * 1.1);
    assertThat((double) recvLimitedBytes).isBetween(expected * 0.9, expected * 1.1);
  }

  /**
   * Payload bytes of the messages delivered in [start, end); returns once one arrives after end.
   */
  private static long bytesBetween(Recorder seen, long start, long end)
      throws InterruptedException {
    long bytes = 0;
    while (true) {
      Recorder.Received r = seen.next();
      if (r.atNanos() >= end) {
        return bytes;
      }
      if (r.atNanos() >= start) {
        bytes += r.payload().length();
      }
    }
  }

  /** Keeps the send queue full until the test ends. */
  private void produce(MultiConn conn) {
    Buffer payload = Buffer.buffer(new byte[MESSAGE]);
    while (!stop.get() && !conn.isClosed()) {
      if (conn.send(TOPIC, payload) == SendResult.QUEUE_FULL) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // back-off while the queue is full
      }
    }
  }
}
