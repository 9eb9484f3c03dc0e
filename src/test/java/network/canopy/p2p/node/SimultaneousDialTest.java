package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import java.time.Duration;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.embed.NodeHandle;
import network.canopy.p2p.embed.testkit.CanopyNetworkExtension;
import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two nodes dialling each other at once end with the same single connection on both sides. */
class SimultaneousDialTest {

  private static final int ROUNDS = 50;

  @RegisterExtension final CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(2);

  @Test
  void simultaneousDialsEndWithOneConnectionFiftyTimesInARow(CanopyTestNetwork net)
      throws Exception {
    net.cut(0, 1); // the kit's link would redial by itself; here only the test dials
    net.awaitConnected();
    NodeHandle a = net.node(0);
    NodeHandle b = net.node(1);
    // The rule both sides apply: the connection dialled by the lower id survives.
    String expectedAtA = a.id().compareTo(b.id()) < 0 ? "outbound" : "inbound";
    String expectedAtB = expectedAtA.equals("outbound") ? "inbound" : "outbound";
    var bus = net.vertx().eventBus();

    for (int round = 0; round < ROUNDS; round++) {
      DeliveryOptions opts = new DeliveryOptions().setSendTimeout(10_000);
      Future<Message<Object>> fromA =
          bus.request(new Addresses(a.prefix()).dial(), b.peerAddress(), opts);
      Future<Message<Object>> fromB =
          bus.request(new Addresses(b.prefix()).dial(), a.peerAddress(), opts);
      await(Future.join(fromA, fromB));

      awaitState(net, a, b.id(), expectedAtA);
      awaitState(net, b, a.id(), expectedAtB);

      await(a.disconnect(b.id()));
      awaitState(net, a, b.id(), null);
      awaitState(net, b, a.id(), null);
    }
  }

  /** Waits until {@code node}'s only peer is {@code peer} in that direction (or it has none). */
  private static void awaitState(
      CanopyTestNetwork net, NodeHandle node, String peer, String direction) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(5))
        .until(
            () ->
                await(net.vertx().eventBus().<JsonArray>request(node.peersAddress(), null)).body(),
            peers ->
                direction == null
                    ? peers.isEmpty()
                    : peers.size() == 1
                        && peer.equals(peers.getJsonObject(0).getString("id"))
                        && direction.equals(peers.getJsonObject(0).getString("direction")));
  }
}
