package network.canopy.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;
import java.util.List;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.testing.SocketlessConns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flooding as the peers see it: a new message reaches every connected peer once, never its sender;
 * a duplicate goes nowhere; a broadcast is never delivered back to its origin. Peers are real
 * MultiConns without sockets; what each was sent is read from its counters.
 */
class GossipRouterTest {

  private final Vertx vertx = Vertx.vertx();
  private final NodeConfig config = NodeConfig.defaults();

  /** A flooding topic (the default for consensus): lazy push is LazyPushRouterTest's. */
  private final TopicConfig tx = config.topic("consensus").orElseThrow();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final GossipRouter router =
      new GossipRouter(vertx, config, registry, "test", 64L << 20, (peer, abuse, detail) -> {});
  private SocketlessConns conns;

  record Peer(MultiConn conn, String shortId) implements GossipPeer {}

  @BeforeEach
  void setUp() {
    conns = new SocketlessConns(vertx, config);
  }

  @AfterEach
  void tearDown() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void aNewMessageReachesEveryStartedPeerOnceAndNeverGoesBackToItsSender() {
    Peer a = started("a");
    Peer b = started("b");
    Peer c = started("c");
    Peer starting = new Peer(null, "d"); // admitted, its connection not started yet
    router.peersChanged(List.of(a, b, c, starting));
    Buffer payload = Buffer.buffer("block 7");
    GossipId id = GossipId.of(tx.name(), payload);

    assertThat(router.isNew(a, tx, id)).isTrue();
    router.validated(a, tx, payload, id);

    await().atMost(Duration.ofSeconds(10)).until(() -> sentTo(b) == 1 && sentTo(c) == 1);
    assertThat(counted("forwarded")).as("b and c only, not the sender a").isEqualTo(2);
    assertThat(sentTo(a)).isZero();

    assertThat(router.isNew(b, tx, id)).as("the same message again, from b").isFalse();
    assertThat(counted("duplicate")).isEqualTo(1);
    assertThat(counted("forwarded")).as("a duplicate is not forwarded").isEqualTo(2);
  }

  @Test
  void aBroadcastGoesToEveryPeerAndIsNeverTakenBackAsNew() {
    Peer a = started("a");
    Peer b = started("b");
    router.peersChanged(List.of(a, b));
    Buffer payload = Buffer.buffer("tx 1");
    GossipId id = GossipId.of(tx.name(), payload);

    assertThat(router.originate(tx, payload, id)).isTrue();
    await().atMost(Duration.ofSeconds(10)).until(() -> sentTo(a) == 1 && sentTo(b) == 1);

    assertThat(router.originate(tx, payload, id)).as("broadcast twice").isFalse();
    assertThat(router.isNew(a, tx, id)).as("echoed back by a peer").isFalse();
    assertThat(counted("forwarded")).isEqualTo(2);
  }

  @Test
  void aMessageDroppedBeforeItWasJudgedIsJudgedWhenAnotherCopyComes() {
    GossipId id = GossipId.of(tx.name(), Buffer.buffer("tx 2"));
    assertThat(router.isNew(null, tx, id)).isTrue();
    router.unjudged(id); // the validator's queue was full

    assertThat(router.isNew(null, tx, id)).isTrue();
    assertThat(router.isNew(null, tx, id)).isFalse();
  }

  @Test
  void aPeerThatLeftTheSetIsSentNothing() {
    Peer a = started("a");
    Peer b = started("b");
    router.peersChanged(List.of(a, b));
    router.peersChanged(List.of(a));
    Buffer payload = Buffer.buffer("tx 3");

    router.originate(tx, payload, GossipId.of(tx.name(), payload));

    await().atMost(Duration.ofSeconds(10)).until(() -> sentTo(a) == 1);
    assertThat(counted("forwarded")).isEqualTo(1);
    assertThat(sentTo(b)).isZero();
  }

  private Peer started(String name) {
    MultiConn conn =
        conns.start(
            conns.conn(SocketlessConns.randomId(), true, "198.51.100.1", 9001),
            new MultiConn.Listener() {
              @Override
              public boolean onMessage(int topicId, Buffer payload) {
                return true;
              }

              @Override
              public void onClosed(CloseReason reason, String detail) {}
            });
    return new Peer(conn, name);
  }

  /** Messages of the tx topic written to {@code peer}'s connection. */
  private long sentTo(Peer peer) {
    return peer.conn().stats().topic(tx.id()).messagesOut();
  }

  private double counted(String event) {
    return registry
        .get("p2p.gossip.messages")
        .tag("topic", tx.name())
        .tag("event", event)
        .counter()
        .count();
  }
}
