package network.canopy.p2p.transport;

import static network.canopy.p2p.transport.ListenerFixture.LOOPBACK;
import static network.canopy.p2p.transport.ListenerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.transport.ListenerFixture.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Per-IP and pending-handshake limits, and what refused connections leave behind. */
class ListenerLimitsTest {

  private final ListenerFixture net = new ListenerFixture();
  private final LogCapture logs = LogCapture.of(SocketHandshake.class);

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    net.close();
  }

  @Test
  void thirdConnectionFromOneIpIsRefusedUntilOneCloses() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("maxPerIp", 2));
    // Both stay mid-handshake: the server has replied and waits (60 s) for the last message.
    Probe first = net.probe(listener).awaitAdmitted();
    net.probe(listener).awaitAdmitted();

    net.probe(listener).awaitRefused();
    assertThat(net.refused("max_per_ip")).isEqualTo(1);
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isEqualTo(2);

    first.close();
    // The server sees the close, its handshake fails and says so: the slot is back by then.
    logs.awaitLine("connection closed during the handshake");
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isEqualTo(1);
    net.probe(listener).awaitAdmitted();
    assertThat(net.refused("max_per_ip")).isEqualTo(1);
  }

  @Test
  void authenticatedConnectionHoldsItsSlotUntilItCloses() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("maxPerIp", 1));
    EncryptedConn client = await(dial(listener));
    EncryptedConn server = net.authenticated.poll(20, TimeUnit.SECONDS);
    ChannelFixture.Inbox serverInbox = new ChannelFixture.Inbox();
    server.context().runOnContext(v -> server.start(serverInbox));

    net.probe(listener).awaitRefused();
    assertThat(net.refused("max_per_ip")).isEqualTo(1);
    assertThat(listener.filter().limits().pendingHandshakes()).isZero();

    client.context().runOnContext(v -> client.close(CloseReason.LOCAL, "test"));
    assertThat(serverInbox.awaitClose()).isEqualTo(CloseReason.REMOTE_CLOSED);
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isZero();
    net.probe(listener).awaitAdmitted();
  }

  @Test
  void handshakesBeyondThePendingCapAreRefused() throws Exception {
    ListenerVerticle listener = net.listen(ListenerFixture.p2p(Map.of("maxPerIp", 10)), 2, 2);
    net.probe(listener).awaitAdmitted();
    net.probe(listener).awaitAdmitted();

    net.probe(listener).awaitRefused();
    net.probe(listener).awaitRefused();

    assertThat(net.refused("pending_handshakes")).isEqualTo(2);
    assertThat(net.refused("max_per_ip")).isZero();
    assertThat(listener.filter().limits().pendingHandshakes()).isEqualTo(2);
    // A refusal at the cap gives back the per-IP slot it had taken.
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isEqualTo(2);
  }

  @Test
  void zeroPerIpRefusesEveryInboundConnection() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("maxPerIp", 0));

    net.probe(listener).awaitRefused();

    assertThat(net.refused("max_per_ip")).isEqualTo(1);
  }

  @Test
  void refusedBurstsLeaveNoOpenFileDescriptors() throws Exception {
    ListenerVerticle banned = net.listen(Map.of("bannedIps", List.of("127.0.0.1")));
    ListenerVerticle full = net.listen(Map.of("maxPerIp", 0));
    // Warm up both paths (class loading, lazily opened files) before taking the baseline.
    net.probe(banned).awaitRefused();
    net.probe(full).awaitRefused();
    long baseline = ListenerFixture.openFds();

    List<Future<Probe>> probes = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      probes.add(net.probeAsync((i % 2 == 0 ? banned : full).boundAddress().port()));
    }
    for (Future<Probe> probe : probes) {
      await(probe).awaitRefused();
    }

    assertThat(net.refused("banned_ip") + net.refused("max_per_ip")).isEqualTo(42);
    assertThat(awaitFdsAtMost(baseline)).isLessThanOrEqualTo(baseline);
  }

  /** Re-counts on each tick of a 10 ms Vert.x timer, for at most 5 s; returns the last count. */
  private long awaitFdsAtMost(long target) throws Exception {
    long count = ListenerFixture.openFds();
    for (int tick = 0; tick < 500 && count > target; tick++) {
      await(Future.future(p -> net.vertx.setTimer(10, id -> p.complete())));
      count = ListenerFixture.openFds();
    }
    return count;
  }

  private Future<EncryptedConn> dial(ListenerVerticle listener) {
    return net.vertx
        .createNetClient()
        .connect(listener.boundAddress().port(), "127.0.0.1")
        .compose(
            socket ->
                SocketHandshake.initiate(
                    net.vertx,
                    socket,
                    ChannelFixture.credentials(ListenerFixture.NETWORK),
                    net.serverCredentials.nodeId(),
                    10_000));
  }
}
