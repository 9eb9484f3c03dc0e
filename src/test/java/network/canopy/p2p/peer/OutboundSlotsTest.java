package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.canopy.p2p.book.PeerBook;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.ConfigDefaults;
import network.canopy.p2p.config.ConfigParser;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.testing.SocketlessConns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the outbound filler may ask the book for: how many regular slots are free, whom never to
 * dial, and which network groups outbound peers already use (one operator's range fills one slot).
 */
class OutboundSlotsTest {

  private static final String SELF = "5".repeat(64);
  private static final PeerAddress CONFIGURED =
      new PeerAddress(SocketlessConns.randomId(), new HostPort("192.0.2.50", 9001));

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, ConnectedPeer> peers = new HashMap<>();
  private SocketlessConns conns;
  private Redialer redialer;
  private OutboundSlots slots;

  @BeforeEach
  void setUp() {
    JsonObject json = ConfigDefaults.json();
    json.getJsonObject("p2p").put("maxOutbound", 3);
    NodeConfig config = ConfigParser.parse(json);
    conns = new SocketlessConns(vertx, config);
    redialer =
        new Redialer(
            vertx,
            new Addresses("slots"),
            List.of(CONFIGURED),
            peers::containsKey,
            new RedialerTest.HandTimers());
    AdmissionPolicy admission =
        new AdmissionPolicy(
            SELF,
            config.p2p(),
            peers,
            Reputation.forConfig(config.p2p(), System::currentTimeMillis),
            redialer::mustConnectIds,
            (id, ip) -> null);
    slots = new OutboundSlots(SELF, config.p2p().maxOutbound(), peers, admission, redialer);
  }

  @AfterEach
  void tearDown() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void onlyRegularOutboundPeersTakeSlots() {
    assertThat(slots.free()).isEqualTo(3);
    put(conns.conn(SocketlessConns.randomId(), true, "198.51.100.1", 9001));
    put(conns.conn(SocketlessConns.randomId(), false, "198.51.100.2", 9001));
    PeerAddress must =
        new PeerAddress(SocketlessConns.randomId(), new HostPort("198.51.100.3", 9001));
    redialer.replaceMustConnect(List.of(must));
    put(conns.conn(must.id(), true, "198.51.100.3", 9001));

    assertThat(slots.free())
        .as("an inbound and a must-connect peer leave the slots alone")
        .isEqualTo(2);
  }

  @Test
  void neverDialsItselfAConnectedPeerOrAPeerTheRedialerKeeps() {
    String inboundPeer = put(conns.conn(SocketlessConns.randomId(), false, "198.51.100.2", 9001));
    PeerAddress must =
        new PeerAddress(SocketlessConns.randomId(), new HostPort("198.51.100.3", 9001));
    redialer.replaceMustConnect(List.of(must));

    assertThat(slots.notToDial())
        .containsExactlyInAnyOrder(SELF, inboundPeer, CONFIGURED.id(), must.id());
  }

  @Test
  void theGroupsInUseAreThoseOfOutboundPeersEachCountedOnce() {
    put(conns.conn(SocketlessConns.randomId(), true, "198.51.100.1", 9001));
    put(conns.conn(SocketlessConns.randomId(), true, "198.51.7.7", 9001)); // the same /16
    put(conns.conn(SocketlessConns.randomId(), true, "203.0.113.5", 9001));
    put(conns.conn(SocketlessConns.randomId(), false, "192.0.2.1", 9001)); // inbound: chose us

    assertThat(slots.usedGroups())
        .hasSize(2)
        .isEqualTo(
            Set.of(
                PeerBook.networkGroup(new HostPort("198.51.0.0", 0)),
                PeerBook.networkGroup(new HostPort("203.0.0.0", 0))));
  }

  private String put(EncryptedConn conn) {
    peers.put(conn.remoteId(), new ConnectedPeer(conn, null, null));
    return conn.remoteId();
  }
}
