package network.canopy.p2p.reputation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/** {@code p2p_peer_reputation{node,score}}: connected peers per reputation score bucket. */
public final class ReputationMetrics {

  private ReputationMetrics() {}

  /**
   * Registers one gauge per bucket. The histogram is computed on the scrape thread from the
   * PeerSet's state: a racy read of a map of a few dozen entries, acceptable for a gauge.
   */
  public static void register(
      MeterRegistry registry, String node, Supplier<List<ScoreHistogram.Bucket>> histogram) {
    for (String label : ScoreHistogram.labels()) {
      Gauge.builder(
              "p2p.peer.reputation",
              () ->
                  histogram.get().stream()
                      .filter(b -> b.label().equals(label))
                      .mapToInt(ScoreHistogram.Bucket::count)
                      .sum())
          .description("Connected peers by reputation score bucket")
          .tag("node", node)
          .tag("score", label)
          .register(registry);
    }
  }
}
