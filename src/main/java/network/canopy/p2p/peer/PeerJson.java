package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.ConnStats;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.gossip.GossipMetrics;
import network.canopy.p2p.gossip.GossipValidation;
import network.canopy.p2p.reputation.Reputation;

/** Renders peers and topics as the JSON of {@code /api/peers} and {@code /api/topics}. */
final class PeerJson {

  private PeerJson() {}

  static JsonArray describeAll(
      Collection<ConnectedPeer> peers,
      NodeConfig config,
      Set<String> mustConnect,
      Reputation reputation) {
    JsonArray out = new JsonArray();
    peers.forEach(
        p -> out.add(describe(p, config, mustConnect.contains(p.id), reputation.score(p.id))));
    return out;
  }

  static JsonObject describe(
      ConnectedPeer peer, NodeConfig config, boolean mustConnect, double reputation) {
    MultiConn conn = peer.conn();
    JsonObject topics = new JsonObject();
    JsonObject receive = new JsonObject();
    if (conn != null) {
      ConnStats stats = conn.stats();
      receive
          .put("paused", stats.readPaused())
          .put("inboxBytes", stats.inboxBytes())
          .put("inboxPeakBytes", stats.inboxPeakBytes())
          .put("reassemblyBytes", stats.reassemblyBytes())
          .put("reassemblyPeakBytes", stats.reassemblyPeakBytes());
      for (TopicConfig t : config.topics()) {
        ConnStats.TopicStats s = stats.topic(t.id());
        if (s != null) {
          topics.put(
              t.name(),
              new JsonObject()
                  .put("messagesIn", s.messagesIn())
                  .put("messagesOut", s.messagesOut())
                  .put("bytesIn", s.bytesIn())
                  .put("bytesOut", s.bytesOut())
                  .put("queuedBytes", s.queuedBytes()));
        }
      }
    }
    long rtt = peer.rttNanos();
    return new JsonObject()
        .put("id", peer.id)
        .put("address", String.valueOf(peer.encrypted.remoteAddress()))
        .put("listenAddress", peer.encrypted.remoteMetadata().listenAddress())
        .put("protocolVersion", peer.encrypted.session().version())
        .put(
            "capabilities",
            new JsonArray(List.copyOf(new TreeSet<>(peer.encrypted.session().capabilities()))))
        .put("direction", peer.outbound ? "outbound" : "inbound")
        .put("trusted", config.p2p().trustedPeers().contains(peer.id))
        .put("mustConnect", mustConnect)
        .put("reputation", Math.round(reputation * 10) / 10.0)
        .put("connectedSince", peer.connectedSince)
        .put("rttMs", rtt < 0 ? null : rtt / 1e6)
        .put("topics", topics)
        .put("receive", receive);
  }

  static JsonArray topics(NodeConfig config, MeterRegistry registry, String node) {
    JsonArray out = new JsonArray();
    for (TopicConfig t : config.topics()) {
      JsonObject topic =
          t.toJson()
              .put("messagesIn", count(registry, "p2p.messages", node, t.name(), "in"))
              .put("messagesOut", count(registry, "p2p.messages", node, t.name(), "out"))
              .put("bytesIn", count(registry, "p2p.bytes", node, t.name(), "in"))
              .put("bytesOut", count(registry, "p2p.bytes", node, t.name(), "out"));
      if (t.gossip()) {
        topic.put("gossipCounters", gossipCounters(registry, node, t.name()));
      }
      if (t.validate()) {
        topic.put("validationCounters", validationCounters(registry, node, t.name()));
      }
      out.add(topic);
    }
    return out;
  }

  /** The topic's {@code p2p_gossip_messages_total} by event (see GossipMetrics). */
  private static JsonObject gossipCounters(MeterRegistry registry, String node, String topic) {
    JsonObject out = new JsonObject();
    for (String event : GossipMetrics.EVENTS) {
      var search =
          registry
              .find("p2p.gossip.messages")
              .tag("node", node)
              .tag("topic", topic)
              .tag("event", event);
      Counter c = search.counter();
      FunctionCounter f = search.functionCounter();
      out.put(event, c != null ? (long) c.count() : f != null ? (long) f.count() : 0L);
    }
    return out;
  }

  /** The topic's {@code p2p_gossip_validation_total} by outcome, and the validations in flight. */
  private static JsonObject validationCounters(MeterRegistry registry, String node, String topic) {
    JsonObject out = new JsonObject();
    for (GossipValidation.Outcome o : GossipValidation.Outcome.values()) {
      Counter c =
          registry
              .find("p2p.gossip.validation")
              .tag("node", node)
              .tag("topic", topic)
              .tag("outcome", o.tag())
              .counter();
      out.put(o.tag(), c == null ? 0L : (long) c.count());
    }
    var pending =
        registry
            .find("p2p.gossip.validations.pending")
            .tag("node", node)
            .tag("topic", topic)
            .gauge();
    return out.put("pending", pending == null ? 0L : (long) pending.value());
  }

  private static long count(
      MeterRegistry registry, String name, String node, String topic, String direction) {
    Counter c =
        registry
            .find(name)
            .tag("node", node)
            .tag("topic", topic)
            .tag("direction", direction)
            .counter();
    return c == null ? 0 : (long) c.count();
  }
}
