package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import network.canopy.p2p.wire.WireLimits;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the send pump hands the socket: as little as keeps it busy, the rest stays scheduled. */
class SendPumpTest {

  private static final int BULK = 2;
  private static final int MIB = 1 << 20;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void close() {
    net.close();
  }

  @Test
  void aStalledSocketHoldsAtMostAboutOneFrameInTheProcessTheRestStaysScheduled() throws Exception {
    ConnSettings settings =
        ConnSettings.of(List.of(new TopicSpec(BULK, "blocks", 1, 64 * MIB, 64 * MIB, 64 * MIB)))
            .withConnSendQueueBytes(64L * MIB);
    ConnFixture.Conns conns =
        net.connect(ConnFixture.credentials(settings), ConnFixture.credentials(settings));
    // The acceptor is never started: it stops reading after a stash, TCP fills, the pump stalls.
    MultiConn sender = MultiConn.start(net.vertx, conns.dialer(), settings, new Recorder());
    assertThat(sender.send(BULK, Buffer.buffer(new byte[48 * MIB]))).isEqualTo(SendResult.QUEUED);
    EncryptedConn socket = conns.dialer();
    Awaitility.await("the socket stops taking frames")
        .atMost(Duration.ofSeconds(ConnFixture.TIMEOUT_S))
        .until(() -> onContext(socket, socket::writeQueueFull));
    long pending = onContext(socket, socket::bytesAwaitingKernel);
    assertThat(pending)
        .as("sealed bytes waiting in Netty ahead of anything sent next")
        .isPositive()
        .isLessThanOrEqualTo(2L * WireLimits.MAX_FRAME_BYTES);
    assertThat(sender.stats().queuedBytes())
        .as("the rest of the message is still the scheduler's to order")
        .isGreaterThan(16L * MIB);
  }

  private <T> T onContext(EncryptedConn conn, Callable<T> read) throws Exception {
    Promise<T> result = Promise.promise();
    conn.context()
        .runOnContext(
            v -> {
              try {
                result.complete(read.call());
              } catch (Exception e) {
                result.fail(e);
              }
            });
    return ConnFixture.await(result.future());
  }
}
