package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.conn.SendResult;
import network.canopy.p2p.reputation.Reputation;

/**
 * The PeerSet's event-bus surface: {@code <prefix>.send} (to one peer, {@code *} every peer, {@code
 * random} one peer, or this node's own id; always direct: never forwarded by the receiver), {@code
 * <prefix>.peers}, and the node-local queries behind {@code /api/recent} and {@code /api/topics}.
 * Runs on the PeerSet's context and reads its peer map directly.
 */
final class PeerApi {

  /** Failure codes of {@code <prefix>.send} replies (HTTP-like, see README). */
  static final int BAD_REQUEST = 400;

  static final int NOT_CONNECTED = 404;
  static final int TOO_LARGE = 413;
  static final int QUEUE_FULL = 503;

  /** The peer lacks direct/1 and gossips the topic: it could not tell the message from gossip. */
  static final int UNSUPPORTED = 409;

  /** {@code p2p-peer} values that are not a node id. */
  static final String EVERY_PEER = "*";

  static final String RANDOM_PEER = "random";

  private final Vertx vertx;
  private final NodeConfig config;
  private final Addresses addresses;
  private final Map<String, ConnectedPeer> peers;
  private final Supplier<Set<String>> mustConnect;
  private final Reputation reputation;
  private final TopicDelivery delivery;
  private final Map<String, Counter[]> outCounters = new HashMap<>();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private final MeterRegistry registry;
  private final String node;
  private final String selfId;
  private final WaitingSends waiting;

  PeerApi(
      Vertx vertx,
      NodeConfig config,
      String selfId,
      Map<String, ConnectedPeer> peers,
      Supplier<Set<String>> mustConnect,
      Reputation reputation,
      TopicDelivery delivery,
      MemoryBudget budget,
      MeterRegistry registry,
      String node) {
    this.vertx = vertx;
    this.config = config;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.peers = peers;
    this.mustConnect = mustConnect;
    this.reputation = reputation;
    this.delivery = delivery;
    this.registry = registry;
    this.node = node;
    this.selfId = selfId;
    this.waiting =
        new WaitingSends(
            vertx,
            vertx.getOrCreateContext(),
            peers,
            budget,
            Math.max(config.p2p().sendQueueBytes(), WaitingSends.MIN_BYTES_PER_PEER),
            new WaitingSends.Outlet() {
              @Override
              public SendResult attempt(ConnectedPeer peer, TopicConfig topic, Buffer payload) {
                return sendOne(peer, topic, payload);
              }

              @Override
              public void refused(TopicConfig topic, SendResult result) {
                countRefused(topic, result);
              }
            },
            config.topics(),
            registry,
            node);
    for (TopicConfig t : config.topics()) {
      outCounters.put(
          t.name(),
          new Counter[] {
            PeerMetrics.messages(registry, node, t.name(), "out"),
            PeerMetrics.bytes(registry, node, t.name(), "out")
          });
    }
  }

  Future<Void> register() {
    consumers.add(vertx.eventBus().consumer(addresses.send(), this::send));
    consumers.add(
        vertx
            .eventBus()
            .<Object>consumer(
                addresses.peers(),
                msg ->
                    msg.reply(
                        PeerJson.describeAll(
                            peers.values(), config, mustConnect.get(), reputation))));
    consumers.add(vertx.eventBus().<JsonObject>localConsumer(addresses.recent(), this::recent));
    consumers.add(
        vertx
            .eventBus()
            .<Object>localConsumer(
                addresses.topics(), msg -> msg.reply(PeerJson.topics(config, registry, node))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  Future<Void> unregister() {
    waiting.stop();
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private void send(Message<Object> msg) {
    String peerId = msg.headers().get(Addresses.HEADER_PEER);
    String topicName = msg.headers().get(Addresses.HEADER_TOPIC);
    if (!(msg.body() instanceof Buffer payload)) {
      msg.fail(BAD_REQUEST, "body must be a Buffer");
      return;
    }
    Optional<TopicConfig> topic = topicName == null ? Optional.empty() : config.topic(topicName);
    if (topic.isEmpty()) {
      msg.fail(BAD_REQUEST, "unknown topic '" + topicName + "'");
      return;
    }
    if (selfId.equals(peerId)) {
      delivery.deliverToSelf(selfId, topic.get(), payload);
      msg.reply(null);
      return;
    }
    long waitMs = waitMs(msg);
    if (waitMs < 0) {
      msg.fail(
          BAD_REQUEST, Addresses.HEADER_WAIT_MS + " must be a whole number of ms, 0 to 600000");
      return;
    }
    List<ConnectedPeer> targets = targets(peerId);
    if (targets.size() == 1 && targets.get(0).id.equals(peerId)) {
      waiting.send(msg, targets.get(0), topic.get(), payload, waitMs); // one named peer
      return;
    }
    if (targets.isEmpty()) {
      msg.fail(
          NOT_CONNECTED,
          peerId == null || peerId.equals(EVERY_PEER) || peerId.equals(RANDOM_PEER)
              ? "no peer is connected"
              : "peer " + peerId + " is not connected");
      return;
    }
    JsonArray queued = new JsonArray();
    SendResult refused = null;
    ConnectedPeer refusedBy = null;
    for (ConnectedPeer peer : targets) {
      SendResult result = sendOne(peer, topic.get(), payload);
      if (result == SendResult.QUEUED) {
        queued.add(peer.id);
      } else {
        countRefused(topic.get(), result);
        refused = result;
        refusedBy = peer;
      }
    }
    if (refused == null || (!queued.isEmpty() && targets.size() > 1)) {
      // One named peer: an empty reply as always; '*' and 'random' say who got it.
      msg.reply(
          peerId.equals(EVERY_PEER) || peerId.equals(RANDOM_PEER)
              ? new JsonObject().put("peers", queued)
              : null);
      return;
    }
    failSend(msg, refused, refusedBy, topicName, payload);
  }

  /** The request's {@code p2p-wait-ms}, else {@code p2p.sendWaitMs}; -1 when malformed. */
  private long waitMs(Message<Object> msg) {
    String header = msg.headers().get(Addresses.HEADER_WAIT_MS);
    if (header == null) {
      return config.p2p().sendWaitMs();
    }
    try {
      long ms = Long.parseLong(header.trim());
      return ms >= 0 && ms <= 600_000 ? ms : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The started connections a {@code p2p-peer} value names: one id, every peer, or one at random.
   */
  private List<ConnectedPeer> targets(String peerId) {
    List<ConnectedPeer> started = new ArrayList<>();
    if (peerId == null) {
      return started;
    }
    if (peerId.equals(EVERY_PEER) || peerId.equals(RANDOM_PEER)) {
      peers.values().stream().filter(p -> p.conn() != null).forEach(started::add);
      if (peerId.equals(RANDOM_PEER) && !started.isEmpty()) {
        return List.of(started.get(ThreadLocalRandom.current().nextInt(started.size())));
      }
      return started;
    }
    ConnectedPeer peer = peers.get(peerId);
    return peer == null || peer.conn() == null ? started : List.of(peer);
  }

  /**
   * Queues a direct message to one peer (flagged DIRECT: its node never forwards it), counting it
   * out when queued; a refusal is counted by the caller once it is final.
   */
  private SendResult sendOne(ConnectedPeer peer, TopicConfig topic, Buffer payload) {
    SendResult result = peer.conn().sendDirect(topic.id(), payload);
    if (result == SendResult.QUEUED) {
      Counter[] out = outCounters.get(topic.name());
      out[0].increment();
      out[1].increment(payload.length());
    }
    return result;
  }

  private void countRefused(TopicConfig topic, SendResult result) {
    PeerMetrics.refused(registry, node, topic.name(), result.name()).increment();
  }

  static void failSend(
      Message<Object> msg,
      SendResult result,
      ConnectedPeer peer,
      String topicName,
      Buffer payload) {
    switch (result) {
      case UNKNOWN_TOPIC -> msg.fail(BAD_REQUEST, "peer does not carry topic '" + topicName + "'");
      case TOO_LARGE -> msg.fail(TOO_LARGE, payload.length() + " bytes is over the topic's limit");
      case QUEUE_FULL -> msg.fail(QUEUE_FULL, "send queue full for peer " + peer.shortId());
      case UNSUPPORTED ->
          msg.fail(
              UNSUPPORTED,
              "peer "
                  + peer.shortId()
                  + " lacks direct/1 and gossips '"
                  + topicName
                  + "': it would relay a direct message to others");
      case BUDGET_EXHAUSTED ->
          msg.fail(QUEUE_FULL, "node memory budget exhausted (p2p.memoryBudgetBytes)");
      default -> msg.fail(NOT_CONNECTED, "peer " + peer.shortId() + " is closing");
    }
  }

  private void recent(Message<JsonObject> msg) {
    JsonObject query = msg.body();
    Optional<JsonArray> recent =
        delivery.recent(query.getString("topic"), query.getInteger("limit", 100));
    if (recent.isPresent()) {
      msg.reply(recent.get());
    } else {
      msg.fail(BAD_REQUEST, "unknown topic '" + query.getString("topic") + "'");
    }
  }
}
