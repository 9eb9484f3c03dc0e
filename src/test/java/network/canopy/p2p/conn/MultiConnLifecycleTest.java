package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.ConnFixture.Pair;
import network.canopy.p2p.wire.PacketFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What send() decides, how a connection ends (GOODBYE, exactly one onClosed), peer exchange. */
class MultiConnLifecycleTest {

  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  static TopicSpec topic(int id, long max, long queue) {
    return new TopicSpec(id, "t" + id, 4, max, queue, 1 << 20);
  }

  /** Dialer knows 1 (4 MiB), 2 and 3; acceptor knows 1 (1 MiB), 2 and 4. */
  private Pair mixedTables() throws Exception {
    ConnSettings dialer =
        ConnSettings.of(
            List.of(topic(1, 4 << 20, 8 << 20), topic(2, 1000, 3000), topic(3, 1000, 3000)));
    ConnSettings acceptor =
        ConnSettings.of(
            List.of(topic(1, 1 << 20, 8 << 20), topic(2, 1000, 3000), topic(4, 1000, 3000)));
    return net.pair(dialer, acceptor);
  }

  /** Runs {@code action} on the connection's context and waits for its result. */
  private static <T> T onContext(MultiConn conn, java.util.function.Supplier<T> action)
      throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    conn.context().runOnContext(v -> result.complete(action.get()));
    return result.get(ConnFixture.TIMEOUT_S, TimeUnit.SECONDS);
  }

  @Test
  void sendRefusesTopicsMissingFromEitherTableAndTheControlTopic() throws Exception {
    Pair p = mixedTables();
    assertThat(p.dialer().send(3, Buffer.buffer("x")))
        .isEqualTo(SendResult.UNKNOWN_TOPIC); // not the peer's
    assertThat(p.dialer().send(4, Buffer.buffer("x")))
        .isEqualTo(SendResult.UNKNOWN_TOPIC); // not ours
    assertThat(p.dialer().send(0, Buffer.buffer("x"))).isEqualTo(SendResult.UNKNOWN_TOPIC);
    assertThat(p.dialer().send(256, Buffer.buffer("x"))).isEqualTo(SendResult.UNKNOWN_TOPIC);
    assertThat(p.dialer().send(-1, Buffer.buffer("x"))).isEqualTo(SendResult.UNKNOWN_TOPIC);
    assertThat(p.dialer().send(2, Buffer.buffer("ok"))).isEqualTo(SendResult.QUEUED);
    Recorder.Received r = p.acceptorSeen().next();
    assertThat(r.topic()).isEqualTo(2);
    assertThat(r.payload().toString()).isEqualTo("ok");
  }

  @Test
  void sendRefusesWhatIsOverTheSmallerOfBothLimits() throws Exception {
    Pair p = mixedTables();
    assertThat(p.dialer().send(1, Buffer.buffer(new byte[(1 << 20) + 1])))
        .isEqualTo(SendResult.TOO_LARGE);
    assertThat(p.dialer().send(1, Buffer.buffer(new byte[1 << 20]))).isEqualTo(SendResult.QUEUED);
    assertThat(p.acceptorSeen().next().payload().length()).isEqualTo(1 << 20);
    assertThat(p.dialer().stats().topic(1).refusedSends()).isEqualTo(1);
  }

  @Test
  void fullTopicQueueRefusesButAnEmptyOneTakesAnyAllowedSize() throws Exception {
    Pair p = mixedTables();
    // On the context the pump cannot run in between, so the queue is exactly what we put in it.
    List<SendResult> results =
        onContext(
            p.dialer(),
            () ->
                List.of(
                    p.dialer()
                        .send(
                            2,
                            Buffer.buffer(
                                new byte[1000])), // empty queue: taken though 1000+64 > ...
                    p.dialer().send(2, Buffer.buffer(new byte[1000])),
                    p.dialer().send(2, Buffer.buffer(new byte[1000])))); // 3 x 1064 > 3000
    assertThat(results)
        .containsExactly(SendResult.QUEUED, SendResult.QUEUED, SendResult.QUEUE_FULL);
    for (int i = 0; i < 2; i++) {
      assertThat(p.acceptorSeen().next().payload().length()).isEqualTo(1000);
    }
  }

  @Test
  void connectionQueueBoundsAllTopicsTogether() throws Exception {
    ConnSettings dialer =
        ConnSettings.of(List.of(topic(1, 1000, 3000), topic(2, 1000, 3000)))
            .withConnSendQueueBytes(2200);
    Pair p = net.pair(dialer, ConnSettings.of(List.of(topic(1, 1000, 3000), topic(2, 1000, 3000))));
    List<SendResult> results =
        onContext(
            p.dialer(),
            () ->
                List.of(
                    p.dialer().send(1, Buffer.buffer(new byte[1000])),
                    p.dialer().send(2, Buffer.buffer(new byte[1000])),
                    p.dialer()
                        .send(
                            2,
                            Buffer.buffer(new byte[10])))); // topic 2 has room, the connection not
    assertThat(results)
        .containsExactly(SendResult.QUEUED, SendResult.QUEUED, SendResult.QUEUE_FULL);
  }

  @Test
  void localCloseSendsGoodbyeWithItsDetailAndEachSideClosesOnce() throws Exception {
    Pair p = mixedTables();
    p.dialer().close(CloseReason.LOCAL, "shutting down");
    assertThat(p.acceptorSeen().awaitClosed())
        .isEqualTo(new Recorder.Closed(CloseReason.GOODBYE, "shutting down"));
    assertThat(p.dialerSeen().awaitClosed())
        .isEqualTo(new Recorder.Closed(CloseReason.LOCAL, "shutting down"));
    assertThat(CloseReason.GOODBYE.peerFault()).isFalse();
    p.dialer().close(CloseReason.LOCAL, "again");
    p.acceptor().close(CloseReason.LOCAL, "late");
    // A task queued after the closes has run once they have: no second onClosed by then.
    onContext(p.dialer(), () -> true);
    onContext(p.acceptor(), () -> true);
    assertThat(p.dialerSeen().closeCalls.get()).isEqualTo(1);
    assertThat(p.acceptorSeen().closeCalls.get()).isEqualTo(1);
    assertThat(p.dialer().send(1, Buffer.buffer("x"))).isEqualTo(SendResult.CLOSED);
  }

  @Test
  void messagesStillQueuedAtCloseAreCountedAsDroppedAndTheirBytesReturned() throws Exception {
    Pair p = mixedTables();
    onContext(
        p.dialer(),
        () -> {
          p.dialer().send(1, Buffer.buffer(new byte[100]));
          p.dialer().send(1, Buffer.buffer(new byte[100]));
          p.dialer().close(CloseReason.LOCAL, "now");
          return null;
        });
    p.dialerSeen().awaitClosed();
    ConnStats stats = p.dialer().stats();
    assertThat(stats.topic(1).droppedSends()).isEqualTo(2);
    assertThat(stats.queuedBytes()).isZero();
  }

  @Test
  void peerExchangeTopicWorksWithoutBeingAnnounced() throws Exception {
    Pair p = mixedTables();
    assertThat(p.dialer().remoteMetadata().topic(PacketFormat.PEER_EXCHANGE_TOPIC)).isEmpty();
    assertThat(p.dialer().send(255, Buffer.buffer("peers"))).isEqualTo(SendResult.QUEUED);
    Recorder.Received r = p.acceptorSeen().next();
    assertThat(r.topic()).isEqualTo(255);
    assertThat(r.payload().toString()).isEqualTo("peers");
    assertThat(
            p.dialer()
                .send(255, Buffer.buffer(new byte[PacketFormat.MAX_PEER_EXCHANGE_MESSAGE + 1])))
        .isEqualTo(SendResult.TOO_LARGE);
  }

  @Test
  void failingListenerClosesWithInternalErrorAndThePeerHearsWhy() throws Exception {
    Pair p = mixedTables();
    p.acceptorSeen().answer =
        (topic, payload) -> {
          throw new IllegalStateException("consumer bug");
        };
    p.dialer().send(1, Buffer.buffer("boom"));
    assertThat(p.acceptorSeen().awaitClosed().reason()).isEqualTo(CloseReason.INTERNAL_ERROR);
    Recorder.Closed dialerSide = p.dialerSeen().awaitClosed();
    assertThat(dialerSide.reason()).isEqualTo(CloseReason.GOODBYE);
    assertThat(dialerSide.detail()).startsWith("INTERNAL_ERROR");
  }

  @Test
  void identityAndAddressComeFromTheConnection() throws Exception {
    Pair p = mixedTables();
    assertThat(p.dialer().outbound()).isTrue();
    assertThat(p.acceptor().outbound()).isFalse();
    assertThat(p.dialer().remoteId()).hasSize(64);
    assertThat(p.dialer().remoteAddress().port()).isPositive();
    assertThat(p.dialer().remoteMetadata().topics())
        .extracting(t -> t.id())
        .containsExactly(1, 2, 4);
  }
}
