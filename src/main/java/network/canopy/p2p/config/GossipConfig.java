package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code gossip.*} settings: how many message ids the seen-cache remembers and for how long. A
 * message arriving again after its id left the cache is treated as new (delivered and forwarded
 * once more), so the TTL should exceed the time a message takes to cross the network.
 */
public record GossipConfig(int seenCacheEntries, long seenCacheTtlMs) {

  public JsonObject toJson() {
    return new JsonObject().put("seenCacheEntries", seenCacheEntries).put("seenCacheTtlMs", seenCacheTtlMs);
  }
}
