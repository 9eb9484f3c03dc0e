package network.canopy.p2p.conn;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;

/** A MultiConn listener that records what arrives, when, and how the connection ended. */
final class Recorder implements MultiConn.Listener {

  /** One delivered message and the instant it was delivered. */
  record Received(int topic, Buffer payload, long atNanos, long reassemblingBytes) {}

  /** How the connection ended. */
  record Closed(CloseReason reason, String detail) {}

  final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
  final CompletableFuture<Closed> closed = new CompletableFuture<>();
  final AtomicInteger closeCalls = new AtomicInteger();
  final AtomicInteger rtts = new AtomicInteger();

  /** What onWindowExceeded reported: the peer sent past a receive window. */
  final java.util.List<String> windowReports = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final Semaphore rttPermits = new Semaphore(0);

  /** Decides each onMessage answer; by default the consumer is never saturated. */
  volatile BiPredicate<Integer, Buffer> answer = (topic, payload) -> true;

  volatile MultiConn conn;

  void attach(MultiConn conn) {
    this.conn = conn;
  }

  @Override
  public boolean onMessage(int topicId, Buffer payload) {
    MultiConn c = conn;
    // What was still being reassembled at this moment: shows what a message overtook.
    messages.add(
        new Received(
            topicId, payload, System.nanoTime(), c == null ? -1 : c.stats().reassemblyBytes()));
    return answer.test(topicId, payload);
  }

  @Override
  public void onClosed(CloseReason reason, String detail) {
    closeCalls.incrementAndGet();
    closed.complete(new Closed(reason, detail));
  }

  @Override
  public void onWindowExceeded(String detail) {
    windowReports.add(detail);
  }

  @Override
  public void onRtt(long nanos) {
    rtts.incrementAndGet();
    rttPermits.release();
  }

  /** Waits until {@code count} more round trips have been measured. */
  void awaitRtts(int count) throws InterruptedException {
    if (!rttPermits.tryAcquire(count, ConnFixture.TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new AssertionError(
          "fewer than " + count + " round trips within " + ConnFixture.TIMEOUT_S + " s");
    }
  }

  Received next() throws InterruptedException {
    Received r = messages.poll(ConnFixture.TIMEOUT_S, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("no message within " + ConnFixture.TIMEOUT_S + " s");
    }
    return r;
  }

  Closed awaitClosed() throws Exception {
    return closed.get(ConnFixture.TIMEOUT_S, TimeUnit.SECONDS);
  }
}
