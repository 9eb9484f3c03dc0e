package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.gossip.GossipRouter;
import network.canopy.p2p.gossip.GossipValidation;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.testing.SocketlessConns;
import network.canopy.p2p.wire.PacketFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an application sees of received messages: each published once on its topic's address with
 * the sender's id, gossip deduplicated and marked with its id, direct messages as sent, and the
 * connection held back while the application is too far behind, released once it catches up.
 */
class TopicDeliveryTest {

  private final Vertx vertx = Vertx.vertx();
  private final NodeConfig config = NodeConfig.defaults();
  private final Addresses addresses = new Addresses(config.eventBusPrefix());
  private final TopicConfig tx = config.topic("tx").orElseThrow(); // gossip
  private final TopicConfig requests = config.topic("block_request").orElseThrow(); // not gossip
  private final AtomicInteger holds = new AtomicInteger();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private SocketlessConns conns;
  private TopicDelivery delivery;

  @BeforeEach
  void setUp() {
    conns = new SocketlessConns(vertx, config);
    delivery = delivery(vertx, registry);
  }

  /** A TopicDelivery on {@code on} whose holds are counted in {@link #holds}. */
  private TopicDelivery delivery(Vertx on, MeterRegistry meters) {
    return new TopicDelivery(
        on,
        config,
        meters,
        "test",
        new GossipRouter(on, config, meters, "test", 64L << 20, (peer, abuse, detail) -> {}),
        new GossipValidation(on, config, meters, "test"),
        id -> {},
        holds::incrementAndGet);
  }

  @AfterEach
  void tearDown() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void aMessageIsPublishedOnItsTopicWithItsSenderAndListedInRecent() {
    List<Message<Buffer>> seen = listen(requests);
    ConnectedPeer peer = peer();

    assertThat(delivery.deliver(peer, requests.id(), Buffer.buffer("give me block 9"), false))
        .isTrue();

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 1);
    Message<Buffer> m = seen.get(0);
    assertThat(m.body().toString()).isEqualTo("give me block 9");
    assertThat(m.headers().get(Addresses.HEADER_PEER)).isEqualTo(peer.id);
    assertThat(m.headers().get(Addresses.HEADER_TOPIC)).isEqualTo("block_request");
    assertThat(m.headers().get(Addresses.HEADER_MSG_ID)).as("not a gossip topic").isNull();
    JsonObject recent = delivery.recent("block_request", 10).orElseThrow().getJsonObject(0);
    assertThat(recent.getString("peer")).isEqualTo(peer.id);
    assertThat(recent.getInteger("size")).isEqualTo(15);
  }

  @Test
  void aGossipMessageReachesTheApplicationOnceWhicheverPeersSendIt() {
    List<Message<Buffer>> seen = listen(tx);
    ConnectedPeer first = peer();
    ConnectedPeer second = peer();

    delivery.deliver(first, tx.id(), Buffer.buffer("tx 42"), false);
    delivery.deliver(second, tx.id(), Buffer.buffer("tx 42"), false);
    delivery.deliver(second, tx.id(), Buffer.buffer("tx 43"), false);

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen.get(0).headers().get(Addresses.HEADER_PEER)).isEqualTo(first.id);
    assertThat(seen.get(0).headers().get(Addresses.HEADER_MSG_ID)).hasSize(64);
    assertThat(seen).extracting(m -> m.body().toString()).containsExactly("tx 42", "tx 43");
  }

  @Test
  void aDirectMessageIsPublishedAsSentEvenOnAGossipTopic() {
    List<Message<Buffer>> seen = listen(tx);
    ConnectedPeer peer = peer();

    delivery.deliver(peer, tx.id(), Buffer.buffer("just for you"), true);
    delivery.deliver(peer, tx.id(), Buffer.buffer("just for you"), true);

    await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() == 2);
    assertThat(seen).allSatisfy(m -> assertThat(m.headers().get(Addresses.HEADER_MSG_ID)).isNull());
  }

  @Test
  void peerExchangeMessagesAreNotTheApplicationsBusiness() {
    assertThat(
            delivery.deliver(peer(), PacketFormat.PEER_EXCHANGE_TOPIC, Buffer.buffer("x"), false))
        .isTrue();
    assertThat(delivery.anyHeld()).isFalse();
  }

  /**
   * An application that acknowledges (README, "Flow control") and falls 500 messages behind holds
   * the connection's topic back; it stays held until the application is back under half of that.
   */
  @Test
  void aSlowConsumerHoldsItsTopicBackUntilItCatchesUpToHalf() {
    Blocking.awaitClosing(delivery.registerAcks(), Duration.ofSeconds(10));
    ConnectedPeer peer = startedPeer();
    assertThat(delivery.deliver(peer, requests.id(), Buffer.buffer("request 1"), false)).isTrue();
    ack(0); // from now on the application's acknowledgements say what it has finished
    await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 1);

    int delivered = 1;
    boolean open = true;
    while (open) {
      delivered++;
      open = delivery.deliver(peer, requests.id(), Buffer.buffer("request " + delivered), false);
      assertThat(delivered)
          .as("held back at 500 unfinished")
          .isLessThanOrEqualTo(TopicDelivery.MAX_PENDING);
    }
    assertThat(delivered).isEqualTo(TopicDelivery.MAX_PENDING);
    assertThat(delivery.anyHeld()).isTrue();
    assertThat(holds).hasValue(1);

    ack(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> unfinished() == 300);
    delivery.releaseCaughtUp();
    assertThat(delivery.anyHeld()).as("300 unfinished: still over half").isTrue();

    ack(300);
    await().atMost(Duration.ofSeconds(10)).until(() -> !delivery.anyHeld());
    assertThat(unfinished()).isEqualTo(200);
  }

  /**
   * A plain consumer (never acknowledges) is measured by Vert.x's own pending count: the topic is
   * held back at 900 waiting messages, below Vert.x's consumer buffer of 1000 past which it would
   * discard, and not at 500 — one socket read of small messages reached that while the consumer
   * kept up (docs/PERFORMANCE.md, small-128B).
   */
  @Test
  void aBusyPlainConsumerIsHeldBackBeforeVertxWouldDiscardAndGetsEveryMessage() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    MicrometerMetricsOptions options =
        new MicrometerMetricsOptions()
            .setEnabled(true)
            .setRegistryName("topic-delivery-" + UUID.randomUUID())
            .addLabels(Label.EB_ADDRESS);
    CountDownLatch busy = new CountDownLatch(1);
    Vertx metered =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(options))
            .withMetrics(new MicrometerMetricsFactory(meters))
            .build();
    try {
      TopicDelivery plain = delivery(metered, meters);
      AtomicInteger received = new AtomicInteger();
      Blocking.awaitClosing(
          metered
              .eventBus()
              .<Buffer>consumer(
                  addresses.topic(requests.name()),
                  m -> {
                    if (received.getAndIncrement() == 0) {
                      awaitQuietly(busy); // the application is busy with its first message
                    }
                  })
              .completion(),
          Duration.ofSeconds(10));
      ConnectedPeer peer = peer();

      int delivered = 0;
      boolean open = true;
      while (open) {
        delivered++;
        open = plain.deliver(peer, requests.id(), Buffer.buffer("request " + delivered), false);
        assertThat(delivered).as("held back before 1000").isLessThan(1000);
      }
      assertThat(delivered)
          .as("900 waiting, and the one the consumer is busy with")
          .isEqualTo(900 + 1);
      assertThat(plain.anyHeld()).isTrue();

      busy.countDown();
      int all = delivered;
      await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == all);
      assertThat(received).as("nothing discarded").hasValue(all);
    } finally {
      busy.countDown();
      Blocking.awaitClosing(metered.close(), Duration.ofSeconds(10));
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private double unfinished() {
    return registry.get("p2p.topic.unfinished").tag("topic", requests.name()).gauge().value();
  }

  private void ack(long seq) {
    vertx.eventBus().send(addresses.ack(requests.name()), seq);
  }

  private List<Message<Buffer>> listen(TopicConfig topic) {
    List<Message<Buffer>> seen = new CopyOnWriteArrayList<>();
    Blocking.awaitClosing(
        vertx.eventBus().<Buffer>consumer(addresses.topic(topic.name()), seen::add).completion(),
        Duration.ofSeconds(10));
    return seen;
  }

  private ConnectedPeer peer() {
    return new ConnectedPeer(
        conns.conn(SocketlessConns.randomId(), false, "198.51.100.1", 9001), delivery, null);
  }

  /** A peer whose connection is started: only such a connection can be told to resume. */
  private ConnectedPeer startedPeer() {
    ConnectedPeer peer = peer();
    peer.attach(
        conns.start(
            peer.encrypted,
            new MultiConn.Listener() {
              @Override
              public boolean onMessage(int topicId, Buffer payload) {
                return true;
              }

              @Override
              public void onClosed(CloseReason reason, String detail) {}
            }));
    return peer;
  }
}
