package network.canopy.p2p.conn;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Names and tags of the node's per-topic and per-peer meters, in one place (see docs/METRICS.md).
 */
public final class PeerMetrics {

  private PeerMetrics() {}

  /** {@code p2p_messages_total{node,topic,direction}}. */
  public static Counter messages(
      MeterRegistry registry, String node, String topic, String direction) {
    return Counter.builder("p2p.messages")
        .description("Messages by topic and direction (in = received)")
        .tag("node", node)
        .tag("topic", topic)
        .tag("direction", direction)
        .register(registry);
  }

  /** {@code p2p_bytes_total{node,topic,direction}}: message payload bytes. */
  public static Counter bytes(MeterRegistry registry, String node, String topic, String direction) {
    return Counter.builder("p2p.bytes")
        .description("Message payload bytes by topic and direction")
        .tag("node", node)
        .tag("topic", topic)
        .tag("direction", direction)
        .register(registry);
  }

  /** {@code p2p_connections_closed_total{node,reason}}. */
  public static Counter closed(MeterRegistry registry, String node, String reason) {
    return Counter.builder("p2p.connections.closed")
        .description("Closed connections by reason")
        .tag("node", node)
        .tag("reason", reason)
        .register(registry);
  }

  /**
   * {@code p2p_admissions_refused_total{node,reason}}: authenticated peers the PeerSet turned away.
   */
  public static Counter admissionRefused(MeterRegistry registry, String node, String reason) {
    return Counter.builder("p2p.admissions.refused")
        .description("Authenticated connections refused by the PeerSet, by reason")
        .tag("node", node)
        .tag("reason", reason)
        .register(registry);
  }

  /** {@code p2p_sends_refused_total{node,topic,reason}}. */
  public static Counter refused(MeterRegistry registry, String node, String topic, String reason) {
    return Counter.builder("p2p.sends.refused")
        .description("Sends refused by topic and reason")
        .tag("node", node)
        .tag("topic", topic)
        .tag("reason", reason)
        .register(registry);
  }

  /** {@code p2p_sends_waited_total{node,topic}}. */
  public static Counter waited(MeterRegistry registry, String node, String topic) {
    return Counter.builder("p2p.sends.waited")
        .description("Sends that found the peer's queue full and waited for room")
        .tag("node", node)
        .tag("topic", topic)
        .register(registry);
  }
}
