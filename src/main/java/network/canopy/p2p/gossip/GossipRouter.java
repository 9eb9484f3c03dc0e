package network.canopy.p2p.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.conn.SendResult;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketFormat;

/**
 * The node's gossip: the {@link LazyPushRouter} core (flooding or lazy push per topic's {@code
 * gossipMode}) over real connections and Vert.x timers, with the gossip metrics. A received message
 * goes through two calls: {@link #isNew} (new or duplicate), then — once it is accepted (by the
 * topic's validator, or at once) — {@link #validated}, which pushes or announces it. Thread-safe:
 * called on each connection's event loop and on the PeerSet's context.
 */
public final class GossipRouter {

  /** Hears of a peer that broke a lazy-push rule; the PeerSet turns it into a reputation event. */
  public interface AbuseListener {
    void misbehaved(GossipPeer peer, GossipAbuse abuse, String detail);
  }

  private final GossipMetrics[] metrics = new GossipMetrics[PacketFormat.TOPIC_COUNT];
  private final Counter[][] out = new Counter[PacketFormat.TOPIC_COUNT][];
  private final LazyPushRouter<GossipPeer, Buffer> core;

  /** The peers the core knows, to tell what changed; touched only by {@link #peersChanged}. */
  private Set<GossipPeer> known = new HashSet<>();

  /**
   * @param memoryBudgetBytes the node's memory budget: payloads kept to answer GRAFTs take at most
   *     a quarter of it (and never more than {@link LazyParams#DEFAULTS}' 256 MiB)
   */
  public GossipRouter(
      Vertx vertx,
      NodeConfig config,
      MeterRegistry registry,
      String node,
      long memoryBudgetBytes,
      AbuseListener abuse) {
    boolean[] lazy = new boolean[PacketFormat.TOPIC_COUNT];
    for (TopicConfig t : config.topics()) {
      if (t.gossip()) {
        lazy[t.id()] = t.lazy();
        metrics[t.id()] = new GossipMetrics(registry, node, t.name());
        out[t.id()] =
            new Counter[] {
              PeerMetrics.messages(registry, node, t.name(), "out"),
              PeerMetrics.bytes(registry, node, t.name(), "out")
            };
      }
    }
    LazyParams params =
        LazyParams.DEFAULTS
            .withSeenCache(config.gossip().seenCacheEntries(), config.gossip().seenCacheTtlMs())
            .withStoreBytes(Math.min(LazyParams.DEFAULTS.storeBytes(), memoryBudgetBytes / 4));
    this.core =
        new LazyPushRouter<>(
            params,
            new ConnLinks(abuse),
            new VertxClock(vertx),
            Buffer::length,
            topic -> lazy[topic]);
  }

  /**
   * Called on the PeerSet's context after each change of the set: only started connections count.
   */
  public void peersChanged(Collection<? extends GossipPeer> connected) {
    Set<GossipPeer> now = new HashSet<>();
    for (GossipPeer p : connected) {
      MultiConn conn = p.conn();
      if (conn != null) {
        now.add(p);
        if (!known.contains(p)) {
          core.peerUp(p, conn.has(Capability.LAZY));
        }
      }
    }
    for (GossipPeer gone : known) {
      if (!now.contains(gone)) {
        core.peerDown(gone);
      }
    }
    known = now;
  }

  /**
   * Counts a gossip message received from {@code from} and records its id: true the first time (the
   * message is then judged — by the validator when the topic has one — and handed to {@link
   * #validated} if accepted), false for a duplicate. A rejected or ignored id stays recorded, so
   * copies of it from other peers are dropped here without asking the validator again. On a lazy
   * topic a duplicate prunes the link it came over.
   */
  public boolean isNew(GossipPeer from, TopicConfig topic, GossipId id) {
    GossipMetrics m = metrics[topic.id()];
    m.received.increment();
    if (!core.accept(from, topic.id(), id)) {
      m.duplicates.increment();
      return false;
    }
    return true;
  }

  /**
   * The one place a new message is handed on once accepted (at once for a topic without
   * validation): counted delivered, then pushed to the eager peers and announced to the lazy ones
   * (every peer but its sender on a flood topic). Validate, then push.
   */
  public void validated(GossipPeer from, TopicConfig topic, Buffer payload, GossipId id) {
    metrics[topic.id()].delivered.increment();
    core.forward(from, topic.id(), id, payload);
  }

  /** Forgets a new message that was dropped before it was judged, so a later copy is judged. */
  public void unjudged(GossipId id) {
    core.forget(id);
  }

  /**
   * A message this node broadcasts: marked seen (so it is never delivered back here) and sent on.
   * Returns false, sending nothing, if the same message was already seen here.
   */
  public boolean originate(TopicConfig topic, Buffer payload, GossipId id) {
    GossipMetrics m = metrics[topic.id()];
    if (!core.accept(null, topic.id(), id)) {
      m.duplicates.increment();
      return false;
    }
    m.originated.increment();
    core.forward(null, topic.id(), id, payload);
    return true;
  }

  /** A lazy-push control message from {@code from} (MultiConn checked lazy/1 on the connection). */
  public void onLazyPush(GossipPeer from, ControlMessage.LazyPush message) {
    if (message.topicId() >= PacketFormat.TOPIC_COUNT || metrics[message.topicId()] == null) {
      return; // not a gossip topic here: nothing to announce, graft or prune
    }
    List<GossipId> ids = new ArrayList<>(message.ids().length);
    for (byte[] id : message.ids()) {
      ids.add(new GossipId(id, null));
    }
    LazyControl.Kind kind =
        switch (message.type()) {
          case ControlMessage.TYPE_IHAVE -> LazyControl.Kind.IHAVE;
          case ControlMessage.TYPE_GRAFT -> LazyControl.Kind.GRAFT;
          default -> LazyControl.Kind.PRUNE;
        };
    GossipMetrics.countLazy(metrics[message.topicId()].lazyReceived, kind, ids.size());
    core.onControl(from, new LazyControl(kind, message.topicId(), ids));
  }

  /** The core's sends, onto each peer's connection. */
  private final class ConnLinks implements GossipLinks<GossipPeer, Buffer> {
    private final AbuseListener abuse;

    ConnLinks(AbuseListener abuse) {
      this.abuse = abuse;
    }

    @Override
    public void push(GossipPeer peer, int topicId, Buffer payload) {
      MultiConn conn = peer.conn();
      if (conn == null) {
        return;
      }
      GossipMetrics m = metrics[topicId];
      long droppedBefore = m.dropped.sum();
      SendResult result = conn.sendDroppingOldest(topicId, payload, m.dropped);
      if (result == SendResult.QUEUED) {
        m.forwarded.increment();
        out[topicId][0].increment();
        out[topicId][1].increment(payload.length());
      }
      if (m.dropped.sum() != droppedBefore) {
        m.droppedFor(peer.shortId());
      }
    }

    @Override
    public void control(GossipPeer peer, LazyControl message) {
      MultiConn conn = peer.conn();
      if (conn == null) {
        return;
      }
      GossipMetrics.countLazy(
          metrics[message.topicId()].lazySent, message.kind(), message.ids().size());
      byte[][] ids = message.ids().stream().map(GossipId::id).toArray(byte[][]::new);
      conn.sendControl(new ControlMessage.LazyPush(message.kind().type, message.topicId(), ids));
    }

    @Override
    public void misbehaved(GossipPeer peer, GossipAbuse kind, String detail) {
      abuse.misbehaved(peer, kind, detail);
    }
  }

  /** Wall-clock milliseconds and Vert.x timers. */
  private record VertxClock(Vertx vertx) implements GossipClock {
    @Override
    public long nowMillis() {
      return System.nanoTime() / 1_000_000;
    }

    @Override
    public Runnable schedule(long delayMillis, Runnable task) {
      long timer = vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
      return () -> vertx.cancelTimer(timer);
    }
  }
}
