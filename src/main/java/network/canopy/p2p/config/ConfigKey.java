package network.canopy.p2p.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every settable config key, with the environment variable derived from it ({@code P2P_} + the key
 * upper-cased, dots as underscores). Only these names are read from the environment or --set.
 */
public enum ConfigKey {
  NETWORK("network"),
  CHAIN_ID("chainId"),
  DATA_DIR("dataDir"),
  P2P_LISTEN("p2p.listen"),
  P2P_EXTERNAL("p2p.external"),
  P2P_DIAL("p2p.dial"),
  P2P_MAX_INBOUND("p2p.maxInbound"),
  P2P_MAX_OUTBOUND("p2p.maxOutbound"),
  P2P_MAX_PER_IP("p2p.maxPerIp"),
  P2P_MAX_PER_SUBNET("p2p.maxPerSubnet"),
  P2P_MAX_PENDING_PER_GROUP("p2p.maxPendingPerGroup"),
  P2P_TRUSTED_PEERS("p2p.trustedPeers"),
  P2P_BANNED_PEERS("p2p.bannedPeers"),
  P2P_BANNED_IPS("p2p.bannedIps"),
  P2P_BANNED_COUNTRIES("p2p.bannedCountries"),
  P2P_GEOIP_DATABASE("p2p.geoipDatabase"),
  P2P_HANDSHAKE_TIMEOUT_MS("p2p.handshakeTimeoutMs"),
  P2P_HEARTBEAT_INTERVAL_MS("p2p.heartbeatIntervalMs"),
  P2P_HEARTBEAT_TIMEOUT_MS("p2p.heartbeatTimeoutMs"),
  P2P_SEND_RATE_BYTES_PER_SEC("p2p.sendRateBytesPerSec"),
  P2P_RECV_RATE_BYTES_PER_SEC("p2p.recvRateBytesPerSec"),
  P2P_MAX_MESSAGE_SIZE("p2p.maxMessageSize"),
  P2P_SEND_QUEUE_BYTES("p2p.sendQueueBytes"),
  P2P_INBOX_BYTES("p2p.inboxBytes"),
  P2P_BAN_DURATION_MS("p2p.banDurationMs"),
  P2P_SOCKET_BUFFER_BYTES("p2p.socketBufferBytes"),
  P2P_CAPABILITIES("p2p.capabilities"),
  P2P_DISCOVERY("p2p.discovery"),
  P2P_PEER_EXCHANGE_INTERVAL_MS("p2p.peerExchangeIntervalMs"),
  P2P_PEER_EXCHANGE_REQUESTS_PER_MINUTE("p2p.peerExchangeRequestsPerMinute"),
  P2P_BOOK_CAPACITY("p2p.bookCapacity"),
  P2P_MAX_DIAL_FAILURES("p2p.maxDialFailures"),
  P2P_FEELER_INTERVAL_MS("p2p.feelerIntervalMs"),
  GOSSIP_SEEN_CACHE_ENTRIES("gossip.seenCacheEntries"),
  GOSSIP_SEEN_CACHE_TTL_MS("gossip.seenCacheTtlMs"),
  TOPICS("topics"),
  ADMIN_LISTEN("admin.listen"),
  ADMIN_TOKEN("admin.token"),
  EVENT_BUS_PREFIX("eventBus.prefix"),
  CLUSTER_ENABLED("cluster.enabled"),
  CLUSTER_NAME("cluster.name"),
  CLUSTER_HOST("cluster.host"),
  CLUSTER_PORT("cluster.port"),
  CLUSTER_MEMBERS("cluster.members");

  public static final String ENV_PREFIX = "P2P_";

  private static final Map<String, ConfigKey> BY_KEY =
      Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));
  private static final Set<String> SECTIONS = Arrays.stream(values())
      .filter(k -> k.key.indexOf('.') >= 0)
      .map(ConfigKey::section)
      .collect(Collectors.toUnmodifiableSet());

  private final String key;
  private final String envVar;

  ConfigKey(String key) {
    this.key = key;
    this.envVar = ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /** The dotted name, as in the config file and --set, e.g. {@code p2p.maxInbound}. */
  public String key() {
    return key;
  }

  /** The environment variable, e.g. {@code P2P_P2P_MAXINBOUND}. */
  public String envVar() {
    return envVar;
  }

  public static Optional<ConfigKey> byKey(String key) {
    return Optional.ofNullable(BY_KEY.get(key));
  }

  /** The names of the nested sections in the file: p2p, admin, eventBus, cluster, gossip. */
  public static Set<String> sections() {
    return SECTIONS;
  }

  /** The part before the dot, or "" for a top-level key. */
  String section() {
    int dot = key.indexOf('.');
    return dot < 0 ? "" : key.substring(0, dot);
  }

  /** The part after the dot, or the whole key for a top-level key. */
  String leaf() {
    return key.substring(key.indexOf('.') + 1);
  }
}
