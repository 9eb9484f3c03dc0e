package network.canopy.p2p.transport;

import static network.canopy.p2p.transport.ListenerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.transport.ListenerFixture.Probe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The per-group share of the handshakes in progress and the per-subnet inbound limit, on loopback:
 * Linux answers for all of 127.0.0.0/8, so clients bound to 127.1.k.1 are 64 addresses (and 64 /24
 * subnets) of the one group 127.1.0.0/16, and honest clients come from 127.2.0.0/16 upwards.
 */
class GroupLimitsTest {

  private static final int ATTACKER_ADDRESSES = 64;
  private static final int PER_IP = 4;
  private final ListenerFixture net = new ListenerFixture();

  private final List<Probe> open = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Probe probe : open) {
      probe.socket.close();
    }
    net.close();
  }

  @Test
  void sixtyFourAddressesOfOneGroupHoldingHandshakesLeaveRoomForHonestPeersOfOtherGroups()
      throws Exception {
    ListenerVerticle listener = net.listenGroupingLoopback(ListenerFixture.p2p(Map.of()));
    int held = attack(listener);

    assertThat(held)
        .as("pending handshakes one group may hold (p2p.maxPendingPerGroup)")
        .isEqualTo(32);
    assertThat(net.refused("pending_per_group")).isEqualTo(ATTACKER_ADDRESSES * PER_IP - 32);
    for (int g = 2; g < 10; g++) {
      await(dial(listener, "127." + g + ".0.1"));
    }
    for (int i = 0; i < 8; i++) {
      assertThat(net.authenticated.poll(20, TimeUnit.SECONDS))
          .as("honest handshake " + i)
          .isNotNull();
    }
  }

  /**
   * The same attack where groups do not apply (loopback by default): it takes every handshake slot.
   */
  @Test
  void withoutGroupsTheSameAttackTakesEveryHandshakeSlot() throws Exception {
    ListenerVerticle listener = net.listen(ListenerFixture.p2p(Map.of()), 256, 2);
    assertThat(attack(listener)).isEqualTo(256);

    assertThat(await(net.probeFrom(listener.boundAddress().port(), "127.2.0.1")).awaitOutcome())
        .as("an honest newcomer is refused")
        .isFalse();
    assertThat(net.refused("pending_handshakes")).isEqualTo(1);
  }

  @Test
  void aNinthConnectionFromOneSubnetIsRefused() throws Exception {
    ListenerVerticle listener = net.listenGroupingLoopback(ListenerFixture.p2p(Map.of()));
    int port = listener.boundAddress().port();
    for (int i = 1; i <= 8; i++) {
      assertThat(await(net.probeFrom(port, "127.5.5." + i)).awaitOutcome()).isTrue();
    }
    assertThat(await(net.probeFrom(port, "127.5.5.9")).awaitOutcome()).isFalse();
    assertThat(net.refused("max_per_subnet")).isEqualTo(1);
    assertThat(await(net.probeFrom(port, "127.5.6.1")).awaitOutcome()).as("the next /24").isTrue();
  }

  /**
   * 64 addresses of 127.1.0.0/16, 4 connections each, all stalled mid-handshake; returns how many
   * were admitted. One address's connections at a time: hundreds of connects at once would overflow
   * the listen backlog, and a connection reset there would look like a refusal.
   */
  private int attack(ListenerVerticle listener) throws Exception {
    int admitted = 0;
    for (int k = 0; k < ATTACKER_ADDRESSES; k++) {
      List<Future<Probe>> probes = new ArrayList<>();
      for (int c = 0; c < PER_IP; c++) {
        probes.add(net.probeFrom(listener.boundAddress().port(), "127.1." + k + ".1"));
      }
      for (Future<Probe> probe : probes) {
        open.add(await(probe));
        admitted += open.get(open.size() - 1).awaitOutcome() ? 1 : 0;
      }
    }
    return admitted;
  }

  private Future<EncryptedConn> dial(ListenerVerticle listener, String localIp) {
    return net.vertx
        .createNetClient(new NetClientOptions().setLocalAddress(localIp))
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
