package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;

/**
 * The peer book's {@code p2p.*} settings: whether the node discovers peers at all (peer exchange,
 * feelers, filling outbound slots from the book), how often addresses are requested from a peer and
 * how many requests one peer may make, the book's capacity, how many consecutive failed dials evict
 * an entry, how often a feeler dial checks a book entry, and how many peers of distinct groups must
 * agree on an observed address before the node adopts it.
 */
public record DiscoveryConfig(
    boolean enabled,
    long peerExchangeIntervalMs,
    int peerExchangeRequestsPerMinute,
    int bookCapacity,
    int maxDialFailures,
    long feelerIntervalMs,
    int observedAddressQuorum) {

  /** Adds the settings, flat, to the {@code p2p} JSON. */
  JsonObject putInto(JsonObject p2p) {
    return p2p.put("discovery", enabled)
        .put("peerExchangeIntervalMs", peerExchangeIntervalMs)
        .put("peerExchangeRequestsPerMinute", peerExchangeRequestsPerMinute)
        .put("bookCapacity", bookCapacity)
        .put("maxDialFailures", maxDialFailures)
        .put("feelerIntervalMs", feelerIntervalMs)
        .put("observedAddressQuorum", observedAddressQuorum);
  }
}
