package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code gossip.*} settings: how many message ids the seen-cache remembers and for how long (a
 * message arriving again after its id left the cache is treated as new, so the TTL should exceed
 * the time a message takes to cross the network), and how topics with {@code validate: true} wait
 * for their validator: its deadline, how many validations may be in flight per topic, and what a
 * rejected message costs its sender.
 */
public record GossipConfig(
    int seenCacheEntries,
    long seenCacheTtlMs,
    long validationTimeoutMs,
    int maxPendingValidations,
    int validationRejectPoints) {

  /** The settings without validation keys given: their defaults. */
  public GossipConfig(int seenCacheEntries, long seenCacheTtlMs) {
    this(seenCacheEntries, seenCacheTtlMs, 2_000, 1_024, 20);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("seenCacheEntries", seenCacheEntries)
        .put("seenCacheTtlMs", seenCacheTtlMs)
        .put("validationTimeoutMs", validationTimeoutMs)
        .put("maxPendingValidations", maxPendingValidations)
        .put("validationRejectPoints", validationRejectPoints);
  }
}
