package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.TreeSet;
import network.canopy.p2p.wire.Capability;

/**
 * The built-in defaults, in the config file's layout: the single place they are written down.
 * conf/config.yaml mirrors them and a test keeps the two equal.
 */
public final class ConfigDefaults {
  public static final long MIB = 1024L * 1024L;
  /** Used for a topic entry that leaves out {@code priority}. */
  public static final int TOPIC_PRIORITY = 1;
  /** Used for a topic entry that leaves out {@code gossip}: nothing is forwarded unless asked. */
  public static final boolean TOPIC_GOSSIP = false;
  /** Used for a gossip topic entry that leaves out {@code gossipMode}: flooding, as before lazy push. */
  public static final GossipMode TOPIC_GOSSIP_MODE = GossipMode.FLOOD;
  // A topic entry without maxMessageSize gets p2p.maxMessageSize.

  private ConfigDefaults() {}

  /** A fresh, mutable copy of the defaults on every call. */
  public static JsonObject json() {
    return new JsonObject()
        .put("network", "canopy-local")
        .put("chainId", 1L)
        .put("dataDir", "./data")
        .put("p2p", p2p())
        .put("topics", topics())
        .put("gossip", new JsonObject().put("seenCacheEntries", 100_000).put("seenCacheTtlMs", 120_000L))
        .put("admin", new JsonObject().put("listen", "127.0.0.1:9080").put("token", ""))
        .put("eventBus", new JsonObject().put("prefix", "p2p"))
        .put("cluster", new JsonObject()
            .put("enabled", false)
            .put("name", "canopy")
            .put("host", "127.0.0.1")
            .put("port", 5801)
            .put("members", new JsonArray().add("127.0.0.1")));
  }

  private static JsonObject p2p() {
    return new JsonObject()
        .put("listen", "0.0.0.0:9001")
        .put("external", "")
        .put("dial", new JsonArray())
        .put("maxInbound", 21)
        .put("maxOutbound", 7)
        .put("maxPerIp", 4)
        .put("trustedPeers", new JsonArray())
        .put("bannedPeers", new JsonArray())
        .put("bannedIps", new JsonArray())
        .put("bannedCountries", new JsonArray())
        .put("geoipDatabase", "")
        .put("handshakeTimeoutMs", 5000L)
        .put("heartbeatIntervalMs", 1000L)
        .put("heartbeatTimeoutMs", 5000L)
        .put("sendRateBytesPerSec", 0L)
        .put("recvRateBytesPerSec", 0L)
        .put("maxMessageSize", 64 * MIB)
        .put("sendQueueBytes", 16 * MIB)
        .put("inboxBytes", 16 * MIB)
        .put("banDurationMs", 60_000L)
        .put("capabilities", new JsonArray(List.copyOf(new TreeSet<>(Capability.SUPPORTED))))
        .put("socketBufferBytes", 0L)
        .put("discovery", true)
        .put("peerExchangeIntervalMs", 30000L)
        .put("peerExchangeRequestsPerMinute", 10)
        .put("bookCapacity", 1000)
        .put("maxDialFailures", 10)
        .put("feelerIntervalMs", 120000L);
  }

  /**
   * Consensus is small and urgent (highest priority); block requests are small and should not wait
   * behind blocks; blocks are large; transactions are bulk and yield to everything else.
   */
  private static JsonArray topics() {
    return new JsonArray()
        .add(topic("consensus", 1, 8, true, 4 * MIB, GossipMode.FLOOD))
        .add(topic("block", 2, 2, true, 64 * MIB, GossipMode.LAZY))
        .add(topic("block_request", 3, 4, false, MIB, TOPIC_GOSSIP_MODE))
        .add(topic("tx", 4, 1, true, MIB, GossipMode.LAZY));
  }

  private static JsonObject topic(String name, int id, int priority, boolean gossip, long max,
      GossipMode mode) {
    return new JsonObject()
        .put("name", name)
        .put("id", id)
        .put("priority", priority)
        .put("gossip", gossip)
        .put("maxMessageSize", max)
        .put("gossipMode", mode.spelling());
  }
}
