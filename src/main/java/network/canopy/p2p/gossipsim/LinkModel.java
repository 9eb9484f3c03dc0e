package network.canopy.p2p.gossipsim;

import java.util.Random;

/**
 * Latency and bandwidth of the simulated links: each undirected link draws a one-way latency
 * uniformly in [minLatencyMs, maxLatencyMs]; each direction serialises its messages at {@code
 * bytesPerMs} (messages queue behind each other on a link, as on a TCP connection).
 */
public record LinkModel(double minLatencyMs, double maxLatencyMs, double bytesPerMs) {

  /** An internet-like default: 10–100 ms one way, 100 Mbit/s per link. */
  public static final LinkModel WAN = new LinkModel(10, 100, 12_500);

  /** Loopback-like, to compare with the real in-process nodes: 0.05–0.2 ms, 1 GB/s. */
  public static final LinkModel LOOPBACK = new LinkModel(0.05, 0.2, 1_000_000);

  double latency(Random random) {
    return minLatencyMs + random.nextDouble() * (maxLatencyMs - minLatencyMs);
  }
}
