package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.ConnFixture.Pair;
import network.canopy.p2p.wire.PacketFormat;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Messages of every size and on several topics at once arrive intact, in order per topic. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiConnTransferTest {

  static final int CONSENSUS = 1;
  static final int BLOCKS = 2;
  static final int TX = 3;
  static final int REQUESTS = 4;
  private static final int MIB = 1 << 20;

  private ConnFixture net;
  private Pair pair;

  static ConnSettings settings() {
    return ConnSettings.of(
            List.of(
                new TopicSpec(CONSENSUS, "consensus", 16, 4 * MIB, 16 * MIB, 16 * MIB),
                new TopicSpec(BLOCKS, "blocks", 1, 128 * MIB, 160L * MIB, 160L * MIB),
                new TopicSpec(TX, "tx", 8, MIB, 16 * MIB, 16 * MIB),
                new TopicSpec(REQUESTS, "requests", 4, 16 * MIB, 16 * MIB, 16 * MIB)))
        .withConnSendQueueBytes(256L * MIB);
  }

  @BeforeAll
  void connect() throws Exception {
    net = new ConnFixture();
    pair = net.pair(settings(), settings());
  }

  @AfterAll
  void close() throws Exception {
    net.close();
  }

  @BeforeEach
  void nothingLeftOver() {
    assertThat(pair.acceptorSeen().messages).isEmpty();
    assertThat(pair.acceptor().isClosed()).isFalse();
  }

  static Buffer random(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return Buffer.buffer(b);
  }

  static byte[] sha256(Buffer b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b.getBytes());
  }

  @Test
  void messagesOfEverySizeArriveIntactInOrder() throws Exception {
    int[] sizes = {
      0,
      1,
      PacketFormat.MAX_SINGLE_PACKET_MESSAGE,
      PacketFormat.MAX_SINGLE_PACKET_MESSAGE + 1,
      10 * MIB,
      2,
      64 * MIB,
      0
    };
    List<byte[]> digests = new ArrayList<>();
    for (int i = 0; i < sizes.length; i++) {
      Buffer payload = random(sizes[i], i);
      digests.add(sha256(payload));
      assertThat(pair.dialer().send(BLOCKS, payload)).isEqualTo(SendResult.QUEUED);
    }
    for (int i = 0; i < sizes.length; i++) {
      Recorder.Received r = pair.acceptorSeen().next();
      assertThat(r.topic()).isEqualTo(BLOCKS);
      assertThat(r.payload().length()).as("message %d", i).isEqualTo(sizes[i]);
      assertThat(sha256(r.payload())).as("message %d", i).isEqualTo(digests.get(i));
    }
    ConnStats.TopicStats in = pair.acceptor().stats().topic(BLOCKS);
    assertThat(pair.acceptor().stats().reassemblyBytes()).isZero();
    assertThat(in.bytesIn()).isGreaterThanOrEqualTo(74L * MIB);
    // Sent bytes leave the queue as they are packetized: nothing stays accounted.
    assertThat(pair.dialer().stats().queuedBytes()).isZero();
  }

  @Test
  void fourTopicsSendingAtOnceAllArriveEachInOrder() throws Exception {
    int[] topics = {CONSENSUS, BLOCKS, TX, REQUESTS};
    int perTopic = 150;
    List<Thread> senders = new ArrayList<>();
    for (int topic : topics) {
      Thread t =
          new Thread(
              () -> {
                Random random = new Random(topic);
                for (int seq = 0; seq < perTopic; seq++) {
                  Buffer payload =
                      Buffer.buffer().appendInt(seq).appendBytes(new byte[random.nextInt(100_000)]);
                  if (pair.dialer().send(topic, payload) != SendResult.QUEUED) {
                    throw new AssertionError("send refused");
                  }
                }
              });
      senders.add(t);
      t.start();
    }
    for (Thread t : senders) {
      t.join(TimeUnit.SECONDS.toMillis(ConnFixture.TIMEOUT_S));
    }
    int[] next = new int[5];
    for (int i = 0; i < topics.length * perTopic; i++) {
      Recorder.Received r = pair.acceptorSeen().next();
      assertThat(r.payload().getInt(0)).as("topic %d", r.topic()).isEqualTo(next[r.topic()]++);
    }
    for (int topic : topics) {
      assertThat(next[topic]).isEqualTo(perTopic);
    }
  }

  @Test
  void urgentMessagesOvertakeABulkTransferInFlight() throws Exception {
    Buffer bulk = random(64 * MIB, 99);
    assertThat(pair.dialer().send(BLOCKS, bulk)).isEqualTo(SendResult.QUEUED);
    // The bulk is on its way; polled finely: no event marks its first packet.
    Awaitility.await("the bulk message starts arriving")
        .atMost(Duration.ofSeconds(ConnFixture.TIMEOUT_S))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofNanos(100_000))
        .until(() -> pair.acceptor().stats().reassemblyBytes() > 0);
    long bulkBytesBefore = pair.acceptor().stats().reassemblyBytes();
    int urgent = 20;
    for (int i = 0; i < urgent; i++) {
      pair.dialer().send(CONSENSUS, Buffer.buffer().appendInt(i).appendBytes(new byte[200]));
    }
    List<Recorder.Received> arrivals = new ArrayList<>();
    for (int i = 0; i <= urgent; i++) {
      arrivals.add(pair.acceptorSeen().next());
    }
    Recorder.Received last = arrivals.get(urgent);
    assertThat(last.topic())
        .as("the bulk message arrives after every urgent one")
        .isEqualTo(BLOCKS);
    assertThat(sha256(last.payload())).isEqualTo(sha256(bulk));
    for (int i = 0; i < urgent; i++) {
      assertThat(arrivals.get(i).topic()).isEqualTo(CONSENSUS);
      assertThat(arrivals.get(i).payload().getInt(0)).isEqualTo(i);
      assertThat(arrivals.get(i).atNanos()).isLessThan(last.atNanos());
    }
    // A figure, not an assertion: how much of the bulk got in ahead of the first urgent message
    // (the socket buffers of both kernels plus at most a frame or so of scheduling).
    System.out.printf(
        "urgent vs bulk: %d bulk bytes arrived between sending the urgent message and"
            + " its arrival; the last urgent one came %.1f ms before the bulk completed%n",
        arrivals.get(0).reassemblingBytes() - bulkBytesBefore,
        (last.atNanos() - arrivals.get(urgent - 1).atNanos()) / 1e6);
  }
}
