package network.canopy.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Handshake buffers draw from the node's memory budget (pool HANDSHAKE): with room a handshake
 * completes and gives its room back; without room it is refused with OVER_BUDGET, not buffered.
 */
class HandshakeBudgetTest {

  private final ChannelFixture net = new ChannelFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void aHandshakeWithRoomCompletesAndGivesItsRoomBack() throws Exception {
    MemoryBudget budget = new MemoryBudget(1 << 20);
    HandshakeCredentials server = ChannelFixture.credentials("canopy-test");
    ChannelFixture.Listener listener = net.listen(server, 5_000, budget);
    ChannelFixture.await(
        net.dial(listener.port, ChannelFixture.credentials("canopy-test"), server.nodeId(), 5_000));
    assertThat(listener.nextPeer()).isNotNull();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> budget.used(MemoryBudget.Pool.HANDSHAKE) == 0);
    assertThat(budget.refusedReceives()).isZero();
  }

  @Test
  void aHandshakeWithoutRoomIsRefused() throws Exception {
    MemoryBudget budget =
        new MemoryBudget(16); // less than a hello (its ephemeral key alone is 32 bytes)
    HandshakeCredentials server = ChannelFixture.credentials("canopy-test");
    ChannelFixture.Listener listener = net.listen(server, 5_000, budget);
    net.dial(listener.port, ChannelFixture.credentials("canopy-test"), server.nodeId(), 5_000);
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.OVER_BUDGET);
    assertThat(budget.refusedReceives()).isPositive();
    assertThat(budget.used()).isZero();
  }
}
