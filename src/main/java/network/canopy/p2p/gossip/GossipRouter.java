package network.canopy.p2p.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.util.Collection;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.SendResult;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.conn.PeerMetrics;

/**
 * Floods gossip topics: decides with the {@link SeenCache} whether a message is new ({@link #isNew}),
 * and forwards each new one, once accepted ({@link #validated}), to every connected peer but its
 * sender. Runs on whichever thread hands it a
 * message (each connection's event loop, or the PeerSet's context for broadcasts): forwarding is a
 * thread-safe {@link MultiConn#sendDroppingOldest} per peer, all sharing the one payload Buffer.
 */
public final class GossipRouter {

  private static final GossipPeer[] NONE = new GossipPeer[0];

  private final SeenCache seen;
  private final GossipMetrics[] metrics = new GossipMetrics[PacketFormat.TOPIC_COUNT];
  private final Counter[][] out = new Counter[PacketFormat.TOPIC_COUNT][];
  /** The connected peers, replaced as a whole by the PeerSet whenever the set changes. */
  private volatile GossipPeer[] peers = NONE;

  public GossipRouter(NodeConfig config, MeterRegistry registry, String node) {
    this.seen = new SeenCache(config.gossip().seenCacheEntries(), config.gossip().seenCacheTtlMs(),
        () -> System.nanoTime() / 1_000_000);
    for (TopicConfig t : config.topics()) {
      if (t.gossip()) {
        metrics[t.id()] = new GossipMetrics(registry, node, t.name());
        out[t.id()] = new Counter[] {
            PeerMetrics.messages(registry, node, t.name(), "out"),
            PeerMetrics.bytes(registry, node, t.name(), "out")};
      }
    }
  }

  /** Called on the PeerSet's context after each change of the set: only started connections count. */
  public void peersChanged(Collection<? extends GossipPeer> connected) {
    peers = connected.stream().filter(p -> p.conn() != null).toArray(GossipPeer[]::new);
  }

  /**
   * Counts a received gossip message and records its id: true the first time (the message is then
   * judged — by the validator when the topic has one — and handed to {@link #validated} if
   * accepted), false for a duplicate. A rejected or ignored id stays recorded, so copies of it from
   * other peers are dropped here without asking the validator again.
   */
  public boolean isNew(TopicConfig topic, GossipId id) {
    GossipMetrics m = metrics[topic.id()];
    m.received.increment();
    if (!seen.firstSighting(id.key())) {
      m.duplicates.increment();
      return false;
    }
    return true;
  }

  /**
   * The one place a new message is handed on once accepted (at once for a topic without
   * validation): counted delivered and forwarded to every peer but its sender.
   */
  public void validated(GossipPeer from, TopicConfig topic, Buffer payload, GossipId id) {
    metrics[topic.id()].delivered.increment();
    forward(topic, payload, from);
  }

  /** Forgets a new message that was dropped before it was judged, so a later copy is judged. */
  public void unjudged(GossipId id) {
    seen.forget(id.key());
  }

  /**
   * A message this node broadcasts: marked seen (so it is never delivered back here) and sent to
   * every peer. Returns false, sending nothing, if the same message was already seen here.
   */
  public boolean originate(TopicConfig topic, Buffer payload, GossipId id) {
    GossipMetrics m = metrics[topic.id()];
    if (!seen.firstSighting(id.key())) {
      m.duplicates.increment();
      return false;
    }
    m.originated.increment();
    forward(topic, payload, null);
    return true;
  }

  private void forward(TopicConfig topic, Buffer payload, GossipPeer except) {
    GossipMetrics m = metrics[topic.id()];
    Counter[] outCounters = out[topic.id()];
    for (GossipPeer peer : peers) {
      MultiConn conn = peer.conn();
      if (peer == except || conn == null) {
        continue;
      }
      long droppedBefore = m.dropped.sum();
      SendResult result = conn.sendDroppingOldest(topic.id(), payload, m.dropped);
      if (result == SendResult.QUEUED) {
        m.forwarded.increment();
        outCounters[0].increment();
        outCounters[1].increment(payload.length());
      }
      if (m.dropped.sum() != droppedBefore) {
        m.droppedFor(peer.shortId());
      }
    }
  }
}
