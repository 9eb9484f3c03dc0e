package network.canopy.p2p.transport;

import static network.canopy.p2p.transport.ListenerFixture.LOOPBACK;
import static network.canopy.p2p.transport.ListenerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.EncryptedConn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Several accepting instances per listener: one port, spread over event loops, shared counters. */
class ListenerInstancesTest {

  private final ListenerFixture net = new ListenerFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void portZeroBindsOnePortThatEveryInstanceServes() throws Exception {
    ListenerVerticle listener = net.listen(ListenerFixture.p2p(Map.of("maxPerIp", 10)), 256, 2);
    int port = listener.boundAddress().port();
    assertThat(port).isPositive();

    assertThat(acceptingContexts(listener, 4)).hasSize(2);
    assertThat(listener.boundAddress().port()).isEqualTo(port);
  }

  @Test
  void configuredPortIsSharedByEveryInstance() throws Exception {
    int free = freePort();
    ListenerVerticle listener =
        net.listen(
            ListenerFixture.p2p(Map.of("listen", "127.0.0.1:" + free, "maxPerIp", 10)), 256, 2);

    assertThat(listener.boundAddress().port()).isEqualTo(free);
    assertThat(acceptingContexts(listener, 4)).hasSize(2);
  }

  @Test
  void secondNodeOnTheSameFixedAddressIsRefusedRatherThanShared() throws Exception {
    int free = freePort();
    P2pConfig config = ListenerFixture.p2p(Map.of("listen", "127.0.0.1:" + free));
    ListenerVerticle first = net.listen(config, 256, 2);
    String firstId = first.deploymentID();

    ListenerVerticle second =
        new ListenerVerticle(
            config, 256, 2, () -> net.serverCredentials, net.authenticated::add, net.metrics);
    assertThatThrownBy(() -> await(net.vertx.deployVerticle(second)))
        .hasMessageContaining("127.0.0.1:" + free)
        .hasMessageContaining("Address already in use");

    await(net.vertx.undeploy(firstId));
    ListenerVerticle third = net.listen(config, 256, 2);
    assertThat(third.boundAddress().port()).isEqualTo(free);
    net.probe(third).awaitAdmitted();
  }

  @Test
  void listenersOfTwoNodesOnPortZeroGetPortsOfTheirOwn() throws Exception {
    ListenerVerticle a = net.listen(ListenerFixture.p2p(Map.of("maxPerIp", 1)), 256, 2);
    ListenerVerticle b = net.listen(ListenerFixture.p2p(Map.of("maxPerIp", 1)), 256, 2);

    assertThat(a.boundAddress().port()).isNotEqualTo(b.boundAddress().port());
    net.probe(a).awaitAdmitted();
    net.probe(b).awaitAdmitted();
    assertThat(a.filter().limits().openFrom(LOOPBACK)).isEqualTo(1);
    assertThat(b.filter().limits().openFrom(LOOPBACK)).isEqualTo(1);
  }

  @Test
  void perIpCountIsSharedAcrossInstances() throws Exception {
    ListenerVerticle listener = net.listen(ListenerFixture.p2p(Map.of("maxPerIp", 3)), 256, 2);
    // Round robin puts consecutive connections on alternating instances.
    for (int i = 0; i < 3; i++) {
      net.probe(listener).awaitAdmitted();
    }

    net.probe(listener).awaitRefused();
    net.probe(listener).awaitRefused();

    assertThat(net.refused("max_per_ip")).isEqualTo(2);
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isEqualTo(3);
  }

  /** A port the OS just handed out and took back: free unless something grabs it meanwhile. */
  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
      return socket.getLocalPort();
    }
  }

  /** Completes {@code n} handshakes; returns the distinct contexts the server side ran on. */
  private Set<Context> acceptingContexts(ListenerVerticle listener, int n) throws Exception {
    Set<Context> contexts = new HashSet<>();
    for (int i = 0; i < n; i++) {
      await(
          net.vertx
              .createNetClient()
              .connect(listener.boundAddress().port(), "127.0.0.1")
              .compose(
                  socket ->
                      SocketHandshake.initiate(
                          net.vertx,
                          socket,
                          ChannelFixture.credentials(ListenerFixture.NETWORK),
                          net.serverCredentials.nodeId(),
                          10_000)));
      EncryptedConn accepted = net.authenticated.poll(20, TimeUnit.SECONDS);
      assertThat(accepted).isNotNull();
      contexts.add(accepted.context());
    }
    return contexts;
  }
}
