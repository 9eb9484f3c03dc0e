package network.canopy.p2p.reputation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.function.Supplier;

/** {@code p2p_peer_reputation{node,score}}: connected peers per reputation score bucket. */
public final class ReputationMetrics {

  private ReputationMetrics() {}

  /**
   * Registers one gauge per bucket, reading {@code histogram} on the scrape thread: it must return
   * a snapshot its owner published, not compute from live state (peer/PeerGauges).
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
