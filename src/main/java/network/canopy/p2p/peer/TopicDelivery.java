package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.crypto.Hex;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.gossip.GossipId;
import network.canopy.p2p.gossip.GossipRouter;
import network.canopy.p2p.wire.ControlMessage;

/**
 * Hands each complete received message to applications: published once on
 * {@code <prefix>.topic.<name>} with the sender and topic headers, recorded in the topic's recent
 * ring and counters. Messages of gossip topics go through the {@link GossipRouter} first: only a
 * new one is forwarded and published, with its {@code p2p-msg-id}. Called on each connection's own event loop (no hop on the hot path), so it
 * keeps only thread-safe state. Tells a connection to hold a topic back while the application's
 * consumers of that topic have too much pending (in messages or estimated bytes), and releases it
 * when they are back under half of that.
 */
final class TopicDelivery {

  /**
   * At most this many messages pending at a topic's address before connections hold back (well
   * under Vert.x's default consumer buffer of 1000, beyond which a consumer discards).
   */
  static final int MAX_PENDING = 500;
  /** Payloads up to this size are hashed on the connection's event loop; larger ones on a worker. */
  static final int INLINE_HASH_LIMIT = 64 * 1024;

  private final Vertx vertx;
  private final Addresses addresses;
  private final Map<Integer, TopicState> topics = new HashMap<>();
  private final MeterRegistry registry;
  private final Set<Held> held = ConcurrentHashMap.newKeySet();
  private final long inboxBytes;
  private final Runnable onHold;
  private final GossipRouter gossip;

  private record Held(ConnectedPeer peer, int topicId) {
  }

  /** Per-topic, thread-safe: counters, the recent ring and the application's pending gauge. */
  private static final class TopicState {
    final TopicConfig topic;
    final String address;
    final RecentMessages recent = new RecentMessages();
    final Counter messagesIn;
    final Counter bytesIn;
    volatile Gauge pending;
    /** Moving average of message sizes, to turn the pending count into an estimate in bytes. */
    volatile double averageSize;

    TopicState(TopicConfig topic, String address, Counter messagesIn, Counter bytesIn) {
      this.topic = topic;
      this.address = address;
      this.messagesIn = messagesIn;
      this.bytesIn = bytesIn;
    }
  }

  /** @param onHold called (from any thread) whenever a topic is held back, to start watching it */
  TopicDelivery(Vertx vertx, NodeConfig config, MeterRegistry registry, String node,
      GossipRouter gossip, Runnable onHold) {
    this.vertx = vertx;
    this.gossip = gossip;
    this.onHold = onHold;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.registry = registry;
    this.inboxBytes = config.p2p().inboxBytes();
    for (TopicConfig t : config.topics()) {
      topics.put(t.id(), new TopicState(t, addresses.topic(t.name()),
          PeerMetrics.messages(registry, node, t.name(), "in"),
          PeerMetrics.bytes(registry, node, t.name(), "in")));
    }
  }

  /**
   * Delivers one message from {@code peer}; returns false when the topic's consumers are
   * saturated, so the connection holds further messages of that topic until resumed.
   */
  boolean deliver(ConnectedPeer peer, int topicId, Buffer payload) {
    TopicState state = topics.get(topicId);
    if (state == null) {
      return true; // reserved topics (peer exchange) are handled elsewhere
    }
    state.messagesIn.increment();
    state.bytesIn.increment(payload.length());
    if (!state.topic.gossip()) {
      publish(peer, state, payload, null);
    } else if (payload.length() <= INLINE_HASH_LIMIT) {
      deliverGossip(peer, state, payload, GossipId.of(state.topic.name(), payload));
    } else {
      // The id is needed before anything else; a large payload is hashed off this event loop
      // (see recordDigest) and handled back on it. Gossip promises no order, so nothing waits.
      vertx.executeBlocking(() -> GossipId.of(state.topic.name(), payload), false)
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
   * A new gossip message is passed on, then handed to the application; a duplicate goes nowhere.
   * Validation of a new message belongs between accept and forward: forwarding is the one call.
   */
  private void deliverGossip(ConnectedPeer peer, TopicState state, Buffer payload, GossipId id) {
    if (!gossip.accept(peer, state.topic, id)) {
      return;
    }
    gossip.forward(peer, state.topic, payload, id);
    publish(peer, state, payload, id);
  }

  /** A lazy-push control message (IHAVE, GRAFT, PRUNE) from {@code peer}, for the gossip router. */
  void lazyPush(ConnectedPeer peer, ControlMessage.LazyPush message) {
    gossip.onLazyPush(peer, message);
  }

  /** Publishes on the topic's address; {@code id} is null for a topic that is not gossiped. */
  private void publish(ConnectedPeer peer, TopicState state, Buffer payload, GossipId id) {
    DeliveryOptions options = new DeliveryOptions()
        .addHeader(Addresses.HEADER_PEER, peer.id)
        .addHeader(Addresses.HEADER_TOPIC, state.topic.name());
    // Recorded before publishing, so whoever sees the message also finds it in /api/recent.
    RecentMessages.Entry entry = state.recent.add(peer.id, payload.length(), System.currentTimeMillis());
    if (id == null) {
      recordDigest(entry, payload);
    } else {
      options.addHeader(Addresses.HEADER_MSG_ID, id.hex());
      entry.id = id.hex();
      entry.sha256 = id.payloadSha256Hex();
    }
    double average = state.averageSize; // racy updates from several loops are fine for an estimate
    state.averageSize = average == 0 ? payload.length() : average * 0.9 + payload.length() * 0.1;
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
    return topics.values().stream().filter(s -> s.topic.name().equals(topicName)).findFirst()
        .map(s -> s.recent.newest(Math.min(limit, RecentMessages.CAPACITY)));
  }

  /**
   * Whether the application is behind on a topic: more than {@code fraction} of
   * {@link #MAX_PENDING} messages, or of {@code p2p.inboxBytes} (estimated from the average
   * message size), published but not yet taken by its consumers.
   */
  private boolean saturated(TopicState state, double fraction) {
    double pending = pending(state);
    return pending >= MAX_PENDING * fraction
        || pending * state.averageSize >= inboxBytes * fraction;
  }

  /**
   * Messages published on the topic's address but not yet taken by the application's local
   * consumers, from Vert.x's own event-bus metrics (0 when metrics are off: no holding back then).
   */
  private double pending(TopicState state) {
    Gauge gauge = state.pending;
    if (gauge == null) {
      gauge = registry.find("vertx.eventbus.pending").tag("address", state.address).gauge();
      state.pending = gauge;
    }
    return gauge == null ? 0 : gauge.value();
  }

  /**
   * Small payloads are hashed here; large ones on a worker thread, so a 64 MiB block does not hold
   * this connection's event loop (and the urgent messages behind it) for the time of a SHA-256 pass.
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
