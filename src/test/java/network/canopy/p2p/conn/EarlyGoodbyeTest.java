package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer may say GOODBYE and hang up before this side has even started reading the connection (a
 * refusal right after the handshake): the reason must still be heard, not lost to the close.
 */
class EarlyGoodbyeTest {

  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void aGoodbyeAndHangUpBeforeStartAreHeardInOrder() throws Exception {
    ConnSettings settings =
        ConnSettings.of(List.of(new TopicSpec(1, "consensus", 8, 1024, 4096, 4096)));
    ConnFixture.Conns conns =
        net.connect(ConnFixture.credentials(settings), ConnFixture.credentials(settings));
    EncryptedConn dialer = conns.dialer();
    conns
        .acceptor()
        .context()
        .runOnContext(v -> Goodbyes.refuse(conns.acceptor(), "banned until tomorrow"));

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ConnFixture.TIMEOUT_S);
    while (!ConnFixture.await(onContext(dialer, dialer::remoteClosedBeforeStart))) {
      assertThat(System.nanoTime())
          .as("the hang-up reaches the unstarted side")
          .isLessThan(deadline);
      Thread.sleep(1); // polling a condition with a deadline, not waiting for a guessed time
    }

    Recorder seen = new Recorder();
    dialer
        .context()
        .runOnContext(v -> seen.attach(MultiConn.start(net.vertx, dialer, settings, seen)));
    assertThat(seen.awaitClosed())
        .isEqualTo(new Recorder.Closed(CloseReason.GOODBYE, "banned until tomorrow"));
  }

  /**
   * The refused side is already sending when the GOODBYE comes: the refusing side must not hang up
   * under its frames (its kernel would answer them with a reset that can destroy the GOODBYE
   * unread).
   */
  @Test
  void aPeerStillSendingWhenRefusedHearsWhy() throws Exception {
    ConnSettings settings =
        ConnSettings.of(List.of(new TopicSpec(1, "consensus", 8, 1024, 4096, 4096)));
    for (int round = 0; round < 5; round++) {
      ConnFixture.Conns conns =
          net.connect(ConnFixture.credentials(settings), ConnFixture.credentials(settings));
      EncryptedConn dialer = conns.dialer();
      Recorder seen = new Recorder();
      Promise<Void> sending = Promise.promise();
      dialer
          .context()
          .runOnContext(
              v -> {
                MultiConn conn = MultiConn.start(net.vertx, dialer, settings, seen);
                seen.attach(conn);
                net.vertx.setPeriodic(
                    1,
                    id -> {
                      if (conn.isClosed()) {
                        net.vertx.cancelTimer(id);
                      } else {
                        conn.send(1, io.vertx.core.buffer.Buffer.buffer(new byte[512]));
                        sending.tryComplete();
                      }
                    });
              });
      ConnFixture.await(sending.future());
      conns
          .acceptor()
          .context()
          .runOnContext(v -> Goodbyes.refuse(conns.acceptor(), "inbound limit 1"));
      assertThat(seen.awaitClosed())
          .as("round %d", round)
          .isEqualTo(new Recorder.Closed(CloseReason.GOODBYE, "inbound limit 1"));
    }
  }

  private static io.vertx.core.Future<Boolean> onContext(
      EncryptedConn conn, java.util.function.BooleanSupplier question) {
    Promise<Boolean> answer = Promise.promise();
    conn.context().runOnContext(v -> answer.complete(question.getAsBoolean()));
    return answer.future();
  }
}
