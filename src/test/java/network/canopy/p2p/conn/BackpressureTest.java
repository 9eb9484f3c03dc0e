package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import network.canopy.p2p.conn.ConnFixture.Pair;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A slow consumer pushes back all the way to the sender (inbox bound → paused socket → TCP → full
 * send queue) while the receiver holds no more than its stated bound, and nothing is lost.
 */
class BackpressureTest {

  private static final int TOPIC = 1;
  private static final int MAX_MESSAGE = 64 * 1024;
  private static final int INBOX = 256 * 1024;
  private static final int MESSAGE = 16 * 1024;
  private static final int COUNT = 400;

  /** One socket read: Vert.x reads at most 64 KiB at a time with these options. */
  private static final int READ_CHUNK = 64 * 1024;

  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void slowConsumerPausesTheSenderWithinTheBoundAndLosesNothing() throws Exception {
    ConnSettings sender =
        ConnSettings.of(List.of(new TopicSpec(TOPIC, "blocks", 4, MAX_MESSAGE, 512 * 1024, INBOX)))
            .withConnSendQueueBytes(1 << 20);
    ConnSettings receiver =
        ConnSettings.of(List.of(new TopicSpec(TOPIC, "blocks", 4, MAX_MESSAGE, 512 * 1024, INBOX)));
    // Small kernel buffers, so TCP pushes back after little data rather than megabytes.
    Pair p =
        net.pair(
            sender,
            receiver,
            new NetServerOptions().setReceiveBufferSize(READ_CHUNK),
            new NetClientOptions().setSendBufferSize(READ_CHUNK));
    Recorder seen = p.acceptorSeen();
    seen.answer = (topic, payload) -> false; // saturated from the first message on

    AtomicInteger queueFull = new AtomicInteger();
    AtomicReference<Throwable> producerFailure = new AtomicReference<>();
    CountDownLatch produced = new CountDownLatch(1);
    Thread producer =
        new Thread(
            () -> {
              try {
                produce(p.dialer(), queueFull);
                produced.countDown();
              } catch (Throwable t) {
                producerFailure.set(t);
              }
            });
    producer.start();

    await("receiver paused and sender refusing")
        .until(() -> p.acceptor().stats().readPaused() && queueFull.get() > 0);
    int refusedWhenPaused = queueFull.get();
    await("sender still refused while paused")
        .until(() -> queueFull.get() > refusedWhenPaused + 10);
    assertThat(seen.messages).as("a saturated consumer is handed nothing more").hasSize(1);
    ConnStats held = p.acceptor().stats();
    assertThat(held.inboxBytes()).isGreaterThan(INBOX - MESSAGE);
    assertThat(p.dialer().stats().topic(TOPIC).refusedSends()).isPositive();

    // From now on the consumer keeps up, but stalls on every 50th message for a moment.
    AtomicInteger taken = new AtomicInteger(1);
    seen.answer =
        (topic, payload) -> {
          if (taken.incrementAndGet() % 50 != 0) {
            return true;
          }
          net.vertx.setTimer(2, id -> p.acceptor().resumeTopic(TOPIC));
          return false;
        };
    p.acceptor().resumeTopic(TOPIC);

    for (int seq = 0; seq < COUNT; seq++) {
      Recorder.Received r = seen.next();
      assertThat(r.payload().getInt(0)).isEqualTo(seq);
      assertThat(r.payload().length()).isEqualTo(MESSAGE);
    }
    assertThat(produced.await(ConnFixture.TIMEOUT_S, TimeUnit.SECONDS)).isTrue();
    assertThat(producerFailure.get()).isNull();
    ConnStats end = p.acceptor().stats();
    long bound =
        INBOX + 2L * MAX_MESSAGE + READ_CHUNK; // docs/PROTOCOL.md §11, for the one busy topic
    assertThat(end.reassemblyPeakBytes() + end.inboxPeakBytes()).isLessThanOrEqualTo(bound);
    assertThat(end.inboxBytes()).isZero();
    System.out.printf(
        "backpressure: receiver held at most %d reassembly + %d inbox bytes (bound %d);"
            + " the sender was refused %d times%n",
        end.reassemblyPeakBytes(), end.inboxPeakBytes(), bound, queueFull.get());
  }

  /** Sends COUNT numbered messages, retrying each refused one until the queue has room. */
  private static void produce(MultiConn conn, AtomicInteger queueFull) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ConnFixture.TIMEOUT_S);
    for (int seq = 0; seq < COUNT; seq++) {
      Buffer payload = Buffer.buffer(new byte[MESSAGE]).setInt(0, seq);
      SendResult result;
      while ((result = conn.send(TOPIC, payload)) == SendResult.QUEUE_FULL) {
        queueFull.incrementAndGet();
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the send queue never drained");
        }
        LockSupport.parkNanos(
            TimeUnit.MILLISECONDS.toNanos(1)); // a producer's back-off, not a wait for an outcome
      }
      assertThat(result).isEqualTo(SendResult.QUEUED);
    }
  }

  private static ConditionFactory await(String what) {
    return Awaitility.await(what)
        .atMost(Duration.ofSeconds(ConnFixture.TIMEOUT_S))
        .pollInterval(Duration.ofMillis(1));
  }
}
