package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.List;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.reputation.ReputationMetrics;
import network.canopy.p2p.reputation.ScoreHistogram;

/**
 * The PeerSet's gauges ({@code p2p_peers} by direction, {@code p2p_peer_reputation} by score
 * bucket), read from a snapshot the PeerSet publishes on its own context.
 *
 * <p>Why a snapshot: a scrape runs on whatever thread asks for /metrics, while the peer map and the
 * reputation book belong to the PeerSet's context — iterating the map from the scrape thread threw
 * ConcurrentModificationException during churn, and reading a score even decays it and may drop its
 * entry.
 */
final class PeerGauges {

  /** How often the snapshot is refreshed besides every change of the peer set (scores decay). */
  static final long REFRESH_MS = 1_000;

  private record Snapshot(int inbound, int outbound, List<ScoreHistogram.Bucket> reputation) {}

  private volatile Snapshot current = new Snapshot(0, 0, List.of());

  PeerGauges(MeterRegistry registry, String node) {
    for (String direction : List.of("inbound", "outbound")) {
      boolean outbound = direction.equals("outbound");
      Gauge.builder("p2p.peers", this, g -> outbound ? g.current.outbound : g.current.inbound)
          .description("Connected peers by direction")
          .tag("node", node)
          .tag("direction", direction)
          .register(registry);
    }
    ReputationMetrics.register(registry, node, () -> current.reputation());
  }

  /** On the PeerSet's context: publishes the counts and the score histogram of {@code peers}. */
  void refresh(Collection<ConnectedPeer> peers, Reputation reputation) {
    int outbound = (int) peers.stream().filter(p -> p.outbound).count();
    List<String> ids = peers.stream().map(p -> p.id).toList();
    current = new Snapshot(peers.size() - outbound, outbound, reputation.histogram(ids));
  }
}
