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
 * A peer never gets more than a rate limit allows, whether the limit is the sender's or the
 * receiver's: at every delivery, the bytes delivered so far are within the bucket's burst plus the
 * rate times the time since sending began (a loaded machine only delivers less). Traffic keeps
 * flowing past the burst. How close to the rate it gets is RateLimitScenario's figure.
 */
class RateLimitTest {

  private static final int TOPIC = 1;

  /** Low enough that even a loaded machine carries several times more without a limit. */
  private static final long RATE = 500_000;

  private static final int MESSAGE = 16 * 1024;

  /** What one read or one write may take the bucket below zero by: a socket chunk or a frame. */
  private static final long OVERDRAFT = 256 * 1024;

  private final ConnFixture net = new ConnFixture();
  private final AtomicBoolean stop = new AtomicBoolean();

  @AfterEach
  void tearDown() {
    stop.set(true);
    net.close();
  }

  @Test
  void neitherLimitIsEverExceededAndTrafficFlowsPastTheBurst() throws Exception {
    Pair sendLimited =
        net.pair(RateLimitScenario.settings(RATE, 0), RateLimitScenario.settings(0, 0));
    Pair recvLimited =
        net.pair(RateLimitScenario.settings(0, 0), RateLimitScenario.settings(0, RATE));
    long start = System.nanoTime(); // before the first byte is sent: nothing spent a bucket before
    List<Thread> producers = new ArrayList<>();
    for (Pair p : List.of(sendLimited, recvLimited)) {
      Thread t = new Thread(() -> produce(p.dialer()));
      t.setDaemon(true);
      producers.add(t);
      t.start();
    }
    // Four seconds' worth at the limit: far past the burst, and enough that a limit not applied
    // at all (loopback carries several MB/s even on a loaded machine) is caught.
    long wanted = 4 * RATE;
    assertWithinLimit("send limit", sendLimited.acceptorSeen(), start, wanted);
    assertWithinLimit("receive limit", recvLimited.acceptorSeen(), start, wanted);
  }

  /** Reads deliveries until {@code wanted} bytes arrived, checking the allowance at each one. */
  private static void assertWithinLimit(String limit, Recorder seen, long start, long wanted)
      throws InterruptedException {
    long delivered = 0;
    while (delivered < wanted) {
      Recorder.Received r = seen.next();
      delivered += r.payload().length();
      double allowed =
          TokenBucket.defaultBurst(RATE) + OVERDRAFT + RATE * ((r.atNanos() - start) / 1e9);
      assertThat((double) delivered)
          .as("%s: bytes delivered %.2f s after sending began", limit, (r.atNanos() - start) / 1e9)
          .isLessThanOrEqualTo(allowed);
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
