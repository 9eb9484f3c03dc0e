package network.canopy.p2p.gossip;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One gossip topic's counters, {@code p2p_gossip_messages_total{node,topic,event}}: originated
 * (broadcast here), received (from peers, duplicates included), delivered (new, published to the
 * application), duplicate, forwarded (copies queued to peers) and dropped (copies a full peer queue
 * pushed out or refused). Drops are also logged, at most once per {@link #DROP_LOG_EVERY_MS}. Lazy
 * push adds {@code p2p_gossip_lazy_total{node,topic,kind,direction}}: ids announced (IHAVE) and
 * requested (GRAFT), and PRUNE messages, sent and received.
 */
public final class GossipMetrics {

  private static final Logger log = LoggerFactory.getLogger(GossipMetrics.class);
  static final long DROP_LOG_EVERY_MS = 10_000;

  /** The values of the {@code event} tag. */
  public static final List<String> EVENTS =
      List.of("originated", "received", "delivered", "duplicate", "forwarded", "dropped");

  final Counter originated;
  final Counter received;
  final Counter delivered;
  final Counter duplicates;
  final Counter forwarded;

  /** By {@link LazyControl.Kind} ordinal: ids in IHAVEs and GRAFTs, PRUNE messages. */
  final Counter[] lazySent = new Counter[LazyControl.Kind.values().length];

  final Counter[] lazyReceived = new Counter[LazyControl.Kind.values().length];

  /** Handed to {@code MultiConn.sendDroppingOldest}, which adds each copy it drops. */
  final LongAdder dropped = new LongAdder();

  private final String topic;
  private final AtomicLong lastDropLog = new AtomicLong(Long.MIN_VALUE / 2);
  private final AtomicLong droppedAtLastLog = new AtomicLong();

  GossipMetrics(MeterRegistry registry, String node, String topic) {
    this.topic = topic;
    this.originated = counter(registry, node, topic, "originated");
    this.received = counter(registry, node, topic, "received");
    this.delivered = counter(registry, node, topic, "delivered");
    this.duplicates = counter(registry, node, topic, "duplicate");
    this.forwarded = counter(registry, node, topic, "forwarded");
    FunctionCounter.builder("p2p.gossip.messages", dropped, LongAdder::sum)
        .description(DESCRIPTION)
        .tag("node", node)
        .tag("topic", topic)
        .tag("event", "dropped")
        .register(registry);
    for (LazyControl.Kind kind : LazyControl.Kind.values()) {
      lazySent[kind.ordinal()] = lazy(registry, node, topic, kind, "out");
      lazyReceived[kind.ordinal()] = lazy(registry, node, topic, kind, "in");
    }
  }

  /** Counts a lazy-push message: its ids (IHAVE, GRAFT) or the message itself (PRUNE). */
  static void countLazy(Counter[] counters, LazyControl.Kind kind, int ids) {
    counters[kind.ordinal()].increment(kind == LazyControl.Kind.PRUNE ? 1 : ids);
  }

  private static Counter lazy(
      MeterRegistry registry, String node, String topic, LazyControl.Kind kind, String direction) {
    return Counter.builder("p2p.gossip.lazy")
        .description("Lazy push: ids announced (ihave) and requested (graft), prune messages")
        .tag("node", node)
        .tag("topic", topic)
        .tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
        .tag("direction", direction)
        .register(registry);
  }

  private static final String DESCRIPTION =
      "Gossip messages by topic and event (originated, received, delivered, duplicate, forwarded, dropped)";

  private static Counter counter(MeterRegistry registry, String node, String topic, String event) {
    return Counter.builder("p2p.gossip.messages")
        .description(DESCRIPTION)
        .tag("node", node)
        .tag("topic", topic)
        .tag("event", event)
        .register(registry);
  }

  /** Called after copies were dropped for {@code peer}: a warning, at most one per period. */
  void droppedFor(String peer) {
    long now = System.nanoTime() / 1_000_000;
    long last = lastDropLog.get();
    if (now - last < DROP_LOG_EVERY_MS || !lastDropLog.compareAndSet(last, now)) {
      return;
    }
    long total = dropped.sum();
    long since = total - droppedAtLastLog.getAndSet(total);
    log.warn(
        "gossip topic {}: dropped {} queued message(s) for peers with full send queues since "
            + "the last warning ({} in all; latest for peer {})",
        topic,
        since,
        total,
        peer);
  }
}
