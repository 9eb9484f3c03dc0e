package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.crypto.Hex;
import network.canopy.p2p.gossip.GossipId;
import network.canopy.p2p.gossip.GossipRouter;
import network.canopy.p2p.gossip.GossipValidation;
import network.canopy.p2p.wire.ControlMessage;

/**
 * Hands each complete received message to applications: published once on {@code
 * <prefix>.topic.<name>} with the sender and topic headers, recorded in the topic's recent ring and
 * counters. Messages of gossip topics go through the {@link GossipRouter} first: only a new one is
 * forwarded and published, with its {@code p2p-msg-id}, and on a topic with {@code validate: true}
 * only once its validator accepted it ({@link GossipValidation}). A direct message (flagged DIRECT
 * on the wire) is published as sent: never forwarded, never deduplicated. Called on each
 * connection's own event loop (no hop on the hot path), so it keeps only thread-safe state. Tells a
 * connection to hold a topic back while the application has too much of that topic unfinished
 * ({@link TopicCredit}: acknowledged explicitly, or Vert.x's local pending count), and releases it
 * when that is back under half.
 */
final class TopicDelivery {

  /**
   * An acknowledging application (README, "Flow control"): at most this many messages unfinished
   * per topic before connections hold back.
   */
  static final int MAX_PENDING = 500;

  /**
   * Plain local consumers: at most this many messages waiting at the topic's address (Vert.x's own
   * count) before connections hold back. Below Vert.x's consumer buffer of 1000, beyond which it
   * discards; the rest is margin for publishers on other event loops, each of which passes the
   * bound by at most one message before it sees the hold. At 500, one socket read of 128-byte
   * messages (about 480 in a 64 KiB frame, several frames a read) reached it while the consumer
   * kept up, and every hold stopped the topic's window (docs/PERFORMANCE.md, small-128B).
   */
  static final int LOCAL_MAX_PENDING = 900;

  /**
   * Payloads up to this size are hashed on the connection's event loop; larger ones on a worker.
   */
  static final int INLINE_HASH_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final Addresses addresses;
  private final Map<Integer, TopicState> topics = new HashMap<>();
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final long inboxBytes;
  private final Runnable onHold;
  private final GossipRouter gossip;
  private final GossipValidation validation;
  private final Consumer<String> rejected;

  private record Held(ConnectedPeer peer, int topicId) {}

  /**
   * Per-topic, thread-safe: counters, the recent ring and what the application has not finished.
   */
  private static final class TopicState {
    final TopicConfig topic;
    final String address;
    final RecentMessages recent = new RecentMessages();
    final Counter messagesIn;
    final Counter bytesIn;
    final TopicCredit credit;

    TopicState(
        TopicConfig topic,
        String address,
        Counter messagesIn,
        Counter bytesIn,
        TopicCredit credit) {
      this.topic = topic;
      this.address = address;
      this.messagesIn = messagesIn;
      this.bytesIn = bytesIn;
      this.credit = credit;
    }
  }

  /**
   * @param onHold called (from any thread) whenever a topic is held back, to start watching it
   * @param rejected called (from any thread) with the id of a peer whose message the validator
   *     rejected
   */
  TopicDelivery(
      Vertx vertx,
      NodeConfig config,
      MeterRegistry registry,
      String node,
      GossipRouter gossip,
      GossipValidation validation,
      Consumer<String> rejected,
      Runnable onHold) {
    this.vertx = vertx;
    this.gossip = gossip;
    this.validation = validation;
    this.rejected = rejected;
    this.onHold = onHold;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.inboxBytes = config.p2p().inboxBytes();
    for (TopicConfig t : config.topics()) {
      String address = addresses.topic(t.name());
      TopicCredit credit = new TopicCredit(registry, address);
      topics.put(
          t.id(),
          new TopicState(
              t,
              address,
              PeerMetrics.messages(registry, node, t.name(), "in"),
              PeerMetrics.bytes(registry, node, t.name(), "in"),
              credit));
      Gauge.builder("p2p.topic.unfinished", credit, TopicCredit::outstandingMessages)
          .description("Messages delivered to the application and not yet finished (acknowledged)")
          .tag("node", node)
          .tag("topic", t.name())
          .register(registry);
    }
  }

  /**
   * Listens, cluster-wide, on each topic's {@code .ack} address: an application that acknowledges
   * grants credit explicitly, wherever it runs (README, "Flow control"). Call on the owner's
   * context.
   */
  Future<Void> registerAcks() {
    List<Future<Void>> registered = new ArrayList<>();
    for (TopicState state : topics.values()) {
      registered.add(
          vertx
              .eventBus()
              .consumer(
                  addresses.ack(state.topic.name()),
                  msg -> {
                    Long seq = parseSeq(msg.body());
                    if (seq != null) {
                      state.credit.ack(seq);
                      releaseCaughtUp();
                    }
                  })
              .completion());
    }
    return Future.all(registered).mapEmpty();
  }

  /**
   * An acknowledgement's body: the p2p-seq as a number or a decimal string; anything else is
   * ignored.
   */
  private static Long parseSeq(Object body) {
    if (body instanceof Number n) {
      return n.longValue();
    }
    if (body instanceof String text) {
      try {
        return Long.parseLong(text.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /**
   * Delivers one message from {@code peer}; returns false when the topic's consumers are saturated,
   * so the connection holds further messages of that topic until resumed.
   */
  boolean deliver(ConnectedPeer peer, int topicId, Buffer payload, boolean direct) {
    TopicState state = topics.get(topicId);
    if (state == null) {
      return true; // reserved topics (peer exchange) are handled elsewhere
    }
    state.messagesIn.increment();
    state.bytesIn.increment(payload.length());
    if (direct || !state.topic.gossip()) {
      publish(peer.id, state, payload, null);
    } else if (payload.length() <= INLINE_HASH_LIMIT) {
      deliverGossip(peer, state, payload, GossipId.of(state.topic.name(), payload));
    } else {
      // The id is needed before anything else; a large payload is hashed off this event loop
      // (see recordDigest) and handled back on it. Gossip promises no order, so nothing waits.
      vertx
          .executeBlocking(() -> GossipId.of(state.topic.name(), payload), false)
          .onSuccess(id -> deliverGossip(peer, state, payload, id));
    }
    if (!saturated(state, 1.0)) {
      return true;
    }
    held.add(new Held(peer, topicId));
    onHold.run();
    return false;
  }

  /**
   * Delivers a message this node sends to itself ({@code <prefix>.send} to its own id), as if it
   * came directly from a peer with that id.
   */
  void deliverToSelf(String selfId, TopicConfig topic, Buffer payload) {
    TopicState state = topics.get(topic.id());
    state.messagesIn.increment();
    state.bytesIn.increment(payload.length());
    publish(selfId, state, payload, null);
  }

  /** A lazy-push control message (IHAVE, GRAFT, PRUNE) from {@code peer}, for the gossip router. */
  void lazyPush(ConnectedPeer peer, ControlMessage.LazyPush message) {
    gossip.onLazyPush(peer, message);
  }

  /**
   * A new gossip message is judged (by the validator on a topic with {@code validate: true}), then
   * forwarded and handed to the application if accepted; a duplicate goes nowhere.
   */
  private void deliverGossip(ConnectedPeer peer, TopicState state, Buffer payload, GossipId id) {
    if (!gossip.isNew(peer, state.topic, id)) {
      return;
    }
    if (!state.topic.validate()) {
      accepted(peer, state, payload, id);
      return;
    }
    validation
        .validate(peer.id, state.topic, payload, id)
        .onSuccess(
            outcome -> {
              switch (outcome) {
                case ACCEPT -> accepted(peer, state, payload, id);
                case REJECT -> rejected.accept(peer.id);
                case OVERFLOW ->
                    gossip.unjudged(id); // a copy from another peer may still be judged
                default -> {} // ignored, timed out, no validator: dropped, not forwarded, no cost
              }
            });
  }

  private void accepted(ConnectedPeer peer, TopicState state, Buffer payload, GossipId id) {
    gossip.validated(peer, state.topic, payload, id);
    publish(peer.id, state, payload, id);
  }

  /** Publishes on the topic's address; {@code id} is null for a direct or non-gossip message. */
  private void publish(String peerId, TopicState state, Buffer payload, GossipId id) {
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Addresses.HEADER_PEER, peerId)
            .addHeader(Addresses.HEADER_TOPIC, state.topic.name());
    // Recorded before publishing, so whoever sees the message also finds it in /api/recent.
    RecentMessages.Entry entry =
        state.recent.add(peerId, payload.length(), System.currentTimeMillis());
    if (id == null) {
      recordDigest(entry, payload);
    } else {
      options.addHeader(Addresses.HEADER_MSG_ID, id.hex());
      entry.id = id.hex();
      entry.sha256 = id.payloadSha256Hex();
    }
    options.addHeader(Addresses.HEADER_SEQ, Long.toString(state.credit.publish(payload.length())));
    vertx.eventBus().publish(state.address, payload, options);
  }

  /** Resumes held connections whose topic's consumers are back under the low-water mark. */
  void releaseCaughtUp() {
    for (Held h : held) {
      MultiConn conn = h.peer().conn();
      if (conn != null && !saturated(topics.get(h.topicId()), 0.5)) {
        held.remove(h);
        conn.resumeTopic(h.topicId());
      }
    }
  }

  /** Drops what is held for a peer that is gone. */
  void forget(ConnectedPeer peer) {
    held.removeIf(h -> h.peer() == peer);
  }

  boolean anyHeld() {
    return !held.isEmpty();
  }

  Optional<JsonArray> recent(String topicName, int limit) {
    return topics.values().stream()
        .filter(s -> s.topic.name().equals(topicName))
        .findFirst()
        .map(s -> s.recent.newest(Math.min(limit, RecentMessages.CAPACITY)));
  }

  /**
   * Whether the application is behind on a topic: more than {@code fraction} of {@link
   * #MAX_PENDING} messages (of {@link #LOCAL_MAX_PENDING} for plain local consumers), or of {@code
   * p2p.inboxBytes}, delivered and not yet finished.
   */
  private boolean saturated(TopicState state, double fraction) {
    int limit = state.credit.acking() ? MAX_PENDING : LOCAL_MAX_PENDING;
    return state.credit.outstandingMessages() >= limit * fraction
        || state.credit.outstandingBytes() >= inboxBytes * fraction;
  }

  /**
   * Small payloads are hashed here; large ones on a worker thread, so a 64 MiB block does not hold
   * this connection's event loop (and the urgent messages behind it) for the time of a SHA-256
   * pass.
   */
  private void recordDigest(RecentMessages.Entry entry, Buffer payload) {
    if (payload.length() <= INLINE_HASH_LIMIT) {
      entry.sha256 = sha256(payload);
    } else {
      vertx.executeBlocking(() -> sha256(payload), false).onSuccess(hash -> entry.sha256 = hash);
    }
  }

  private static String sha256(Buffer payload) {
    return Hex.encode(GossipId.sha256(payload));
  }
}
