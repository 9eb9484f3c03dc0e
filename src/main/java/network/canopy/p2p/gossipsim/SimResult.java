package network.canopy.p2p.gossipsim;

import java.util.Locale;

/**
 * Figures of one simulated run, per measured message: delivery ratio over the nodes that should get
 * it, payload receptions per node, announcement (control) bytes per node, time to all p50/p99 (ms,
 * virtual), bytes sent per node, and payload bytes received per node over the payload size.
 */
public record SimResult(
    String mode,
    int nodes,
    int payloadBytes,
    int messages,
    int killed,
    double deliveryRatio,
    double receptionsPerNode,
    double announcementBytesPerNode,
    double timeToAllP50Ms,
    double timeToAllP99Ms,
    double bytesSentPerNode,
    double receivedOverPayload) {

  public static String header() {
    return "mode   nodes  payload  msgs killed delivery receptions announce_B  p50_ms  p99_ms"
        + "  sent_B/node recv/payload";
  }

  public String row() {
    return String.format(
        Locale.ROOT,
        "%-5s %6d %8d %5d %6d %8.4f %10.3f %10.1f %7.1f %7.1f %12.0f %12.3f",
        mode,
        nodes,
        payloadBytes,
        messages,
        killed,
        deliveryRatio,
        receptionsPerNode,
        announcementBytesPerNode,
        timeToAllP50Ms,
        timeToAllP99Ms,
        bytesSentPerNode,
        receivedOverPayload);
  }
}
