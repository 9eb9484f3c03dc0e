package network.canopy.p2p.config;

import static network.canopy.p2p.config.ConfigDefaults.MIB;
import static network.canopy.p2p.config.KeySpec.bool;
import static network.canopy.p2p.config.KeySpec.integer;
import static network.canopy.p2p.config.KeySpec.list;
import static network.canopy.p2p.config.KeySpec.text;
import static network.canopy.p2p.config.KeySpec.topics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import network.canopy.p2p.wire.Capability;

/**
 * Every settable config key, defined once: its name, type, default, bounds and one-line doc. The
 * defaults ({@link ConfigDefaults}), the parsers' bounds and the check of conf/config.yaml's
 * comments all derive from here, and so does the environment variable ({@code P2P_} + the key
 * upper-cased, dots as underscores). Only these names are read from the file, the environment or
 * --set.
 */
public enum ConfigKey {
  NETWORK(
      "network",
      text("canopy-local"),
      "network name; nodes of different networks never complete a handshake"),
  CHAIN_ID(
      "chainId",
      integer(1, 0, Long.MAX_VALUE),
      "chain id (>= 0), signed into the handshake metadata; peers of another chain are refused"),
  DATA_DIR("dataDir", text("./data"), "holds node.key and peerbook.json"),
  P2P_LISTEN(
      "p2p.listen",
      text("0.0.0.0:9001"),
      "listen address HOST:PORT or [IPv6]:PORT; port 0 = pick a free port"),
  P2P_EXTERNAL(
      "p2p.external", text(""), "advertised HOST:PORT; empty = advertise the listen address"),
  P2P_DIAL(
      "p2p.dial",
      list(),
      "ID@HOST:PORT peers (ID = 64 hex chars) kept connected, redialled with backoff"),
  P2P_MAX_INBOUND(
      "p2p.maxInbound", integer(21, 0, Integer.MAX_VALUE), "regular inbound peer limit (>= 0)"),
  P2P_MAX_OUTBOUND(
      "p2p.maxOutbound", integer(7, 0, Integer.MAX_VALUE), "regular outbound peer limit (>= 0)"),
  P2P_MAX_PER_IP(
      "p2p.maxPerIp",
      integer(4, 0, Integer.MAX_VALUE),
      "inbound connections at once from one IP (>= 0; trusted peers too: checked before the id is known)"),
  P2P_MAX_PER_SUBNET(
      "p2p.maxPerSubnet",
      integer(8, 0, Integer.MAX_VALUE),
      "inbound connections at once from one IPv4 /24 or IPv6 /48 (>= 0; not applied to loopback)"),
  P2P_MAX_PENDING_PER_GROUP(
      "p2p.maxPendingPerGroup",
      integer(32, 1, Integer.MAX_VALUE),
      "handshakes in progress from one IPv4 /16 or IPv6 /32, of the node's 256 (>= 1; not applied to loopback)"),
  P2P_TRUSTED_PEERS("p2p.trustedPeers", list(), "peer ids exempt from limits and reputation bans"),
  P2P_BANNED_PEERS("p2p.bannedPeers", list(), "peer ids never accepted or dialled"),
  P2P_BANNED_IPS(
      "p2p.bannedIps", list(), "IPs or CIDR blocks, IPv4 or IPv6, e.g. 10.0.0.0/8, 2001:db8::/32"),
  P2P_BANNED_COUNTRIES(
      "p2p.bannedCountries", list(), "ISO 3166-1 alpha-2 codes, e.g. [XX, YY]; case-insensitive"),
  P2P_GEOIP_DATABASE(
      "p2p.geoipDatabase", text(""), "path of an MMDB country database; empty = the bundled one"),
  P2P_HANDSHAKE_TIMEOUT_MS(
      "p2p.handshakeTimeoutMs",
      integer(5000, 1, Long.MAX_VALUE),
      "whole-handshake deadline (>= 1)"),
  P2P_HEARTBEAT_INTERVAL_MS(
      "p2p.heartbeatIntervalMs", integer(1000, 1, Long.MAX_VALUE), "ping period (>= 1)"),
  P2P_HEARTBEAT_TIMEOUT_MS(
      "p2p.heartbeatTimeoutMs",
      integer(5000, 1, Long.MAX_VALUE),
      "silence that closes a connection; must exceed heartbeatIntervalMs"),
  P2P_SEND_RATE_BYTES_PER_SEC(
      "p2p.sendRateBytesPerSec",
      integer(0, 0, Long.MAX_VALUE),
      "per-connection send limit in bytes/s; 0 = unlimited"),
  P2P_RECV_RATE_BYTES_PER_SEC(
      "p2p.recvRateBytesPerSec",
      integer(0, 0, Long.MAX_VALUE),
      "per-connection receive limit in bytes/s; 0 = unlimited"),
  P2P_MAX_MESSAGE_SIZE(
      "p2p.maxMessageSize",
      integer(64 * MIB, 1, Integer.MAX_VALUE),
      "upper bound for any topic's message, in bytes (64 MiB)"),
  P2P_SEND_QUEUE_BYTES(
      "p2p.sendQueueBytes",
      integer(16 * MIB, 1, Long.MAX_VALUE),
      "bytes one connection may have queued for sending (16 MiB); an empty topic queue still takes one"
          + " message of any allowed size; a send to a full queue waits (p2p.sendWaitMs), gossip forwarding"
          + " drops that peer's oldest queued message of the topic instead"),
  P2P_SEND_WAIT_MS(
      "p2p.sendWaitMs",
      integer(5_000, 0, 600_000),
      "how long a send to a full queue waits for room, in order, before failing with 503; 0 = fail at once;"
          + " a request's p2p-wait-ms header overrides it"),
  P2P_INBOX_BYTES(
      "p2p.inboxBytes",
      integer(16 * MIB, 1, Long.MAX_VALUE),
      "per topic and connection: received messages held for a slow application, and the most the topic's"
          + " receive window (window/1) grows to (16 MiB)"),
  P2P_MEMORY_BUDGET_BYTES(
      "p2p.memoryBudgetBytes",
      integer(0, 0, Long.MAX_VALUE / 4),
      "node-wide bytes: half for send queues, half for inboxes and reassembly, handshakes any room left; 0 = a quarter of the max heap (at least 16 MiB)"),
  P2P_BAN_DURATION_MS(
      "p2p.banDurationMs",
      integer(60_000, 1, 24L * 3600 * 1000),
      "first reputation ban of a misbehaving peer; each repeat doubles it, up to 24 h"),
  P2P_SOCKET_BUFFER_BYTES(
      "p2p.socketBufferBytes",
      integer(0, 0, 64 << 20),
      "kernel send/receive buffer of peer sockets; 0 = OS autotuning (see README: latency vs throughput)"),
  P2P_NOT_SENT_LOW_WATER_BYTES(
      "p2p.notSentLowWaterBytes",
      integer(131072, 0, 64 << 20),
      "TCP_NOTSENT_LOWAT of peer sockets (epoll transport only): unsent bytes the kernel may hold ahead of an"
          + " urgent frame; 0 = off"),
  P2P_CAPABILITIES(
      "p2p.capabilities",
      list(() -> List.copyOf(new TreeSet<>(Capability.SUPPORTED))),
      "wire capabilities to announce (PROTOCOL.md §4.5); default: all this version speaks"),
  P2P_DISCOVERY(
      "p2p.discovery",
      bool(true),
      "peer exchange, feelers and outbound slots filled from the book; false = only p2p.dial,"
          + " must-connect and inbound peers (a sentry's validator)"),
  P2P_PEER_EXCHANGE_INTERVAL_MS(
      "p2p.peerExchangeIntervalMs",
      integer(30_000, 1, Long.MAX_VALUE),
      "how often a peer book exchange is requested"),
  P2P_PEER_EXCHANGE_REQUESTS_PER_MINUTE(
      "p2p.peerExchangeRequestsPerMinute",
      integer(10, 1, Integer.MAX_VALUE),
      "address requests one peer may make per minute; more are refused and cost reputation"),
  P2P_BOOK_CAPACITY(
      "p2p.bookCapacity",
      integer(1000, 1, 1_000_000),
      "peer book entries kept; when full, the stalest failing entries go first"),
  P2P_MAX_DIAL_FAILURES(
      "p2p.maxDialFailures",
      integer(10, 1, Integer.MAX_VALUE),
      "consecutive failed dials that remove a book entry (p2p.dial peers are never removed)"),
  P2P_FEELER_INTERVAL_MS(
      "p2p.feelerIntervalMs",
      integer(120_000, 1, Long.MAX_VALUE),
      "how often a feeler dial checks one book entry that is not connected"),
  P2P_OBSERVED_ADDRESS_QUORUM(
      "p2p.observedAddressQuorum",
      integer(3, 2, 64),
      "without p2p.external: peers of distinct network groups that must report one IP before the node"
          + " advertises it (2..64)"),
  GOSSIP_SEEN_CACHE_ENTRIES(
      "gossip.seenCacheEntries",
      integer(100_000, 1, 10_000_000),
      "message ids remembered to drop duplicates (1..10000000; ~100 bytes each)"),
  GOSSIP_SEEN_CACHE_TTL_MS(
      "gossip.seenCacheTtlMs",
      integer(120_000, 1, 24L * 3600 * 1000),
      "how long an id is remembered; must exceed the time a message takes to cross the network"),
  GOSSIP_VALIDATION_TIMEOUT_MS(
      "gossip.validationTimeoutMs",
      integer(2000, 1, 600_000),
      "topics with validate: a validator silent this long counts as ignore (dropped, not forwarded)"),
  GOSSIP_MAX_PENDING_VALIDATIONS(
      "gossip.maxPendingValidations",
      integer(1024, 1, 1_000_000),
      "per topic: validations in flight; past it a new message is dropped unvalidated (counted as overflow)"),
  GOSSIP_VALIDATION_REJECT_POINTS(
      "gossip.validationRejectPoints",
      integer(20, 0, 100),
      "reputation points a peer loses for each message the validator rejects (0..100)"),
  TOPICS(
      "topics",
      topics(ConfigDefaults::topics),
      "application topics (see the comment above the list)"),
  ADMIN_LISTEN(
      "admin.listen", text("127.0.0.1:9080"), "admin HTTP address; port 0 = pick a free port"),
  ADMIN_TOKEN(
      "admin.token",
      text(""),
      "bearer token for write endpoints; required if listen is not loopback"),
  EVENT_BUS_PREFIX(
      "eventBus.prefix",
      text("p2p"),
      "prefix of every event-bus address of this node ([A-Za-z0-9_.-], no leading/trailing dot)"),
  CLUSTER_ENABLED(
      "cluster.enabled", bool(false), "clustered event bus (Hazelcast); --cluster turns it on"),
  CLUSTER_NAME(
      "cluster.name",
      text("canopy"),
      "cluster name: members with another name never join (A-Z a-z 0-9 _ . -)"),
  CLUSTER_HOST(
      "cluster.host", text("127.0.0.1"), "interface Hazelcast binds and its event bus uses"),
  CLUSTER_PORT(
      "cluster.port",
      integer(5801, 1, HostPort.MAX_PORT),
      "first Hazelcast port (1..65535), auto-incremented when taken"),
  CLUSTER_MEMBERS(
      "cluster.members", list("127.0.0.1"), "TCP-IP join members: bare addresses, no ports"),
  CLUSTER_TLS_ENABLED(
      "cluster.tls.enabled",
      bool(false),
      "on: members without a certificate from the CA below get no event-bus traffic"),
  CLUSTER_TLS_KEY(
      "cluster.tls.key",
      text(""),
      "PEM (PKCS#8) private key of this member; required when enabled"),
  CLUSTER_TLS_CERTIFICATE(
      "cluster.tls.certificate",
      text(""),
      "PEM certificate of this member, signed by ca; required when enabled"),
  CLUSTER_TLS_CA(
      "cluster.tls.ca",
      text(""),
      "PEM certificate of the cluster's CA (cluster-cert makes one); required when enabled");

  public static final String ENV_PREFIX = "P2P_";

  private static final Map<String, ConfigKey> BY_KEY =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(ConfigKey::key, Function.identity()));
  private static final Set<String> SECTIONS =
      Arrays.stream(values())
          .flatMap(k -> k.enclosingSections().stream())
          .collect(Collectors.toUnmodifiableSet());

  private final String key;
  private final String envVar;
  private final KeySpec spec;
  private final String doc;

  ConfigKey(String key, KeySpec spec, String doc) {
    this.key = key;
    this.envVar = ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    this.spec = spec;
    this.doc = doc;
  }

  /** Type, default and bounds. */
  KeySpec spec() {
    return spec;
  }

  /** The one-line description conf/config.yaml carries as the key's comment. */
  public String doc() {
    return doc;
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

  /** The dotted names of the nested sections in the file: p2p, admin, ..., cluster.tls. */
  public static Set<String> sections() {
    return SECTIONS;
  }

  /**
   * The sections this key sits in, outermost first: cluster.tls.ca is in cluster and cluster.tls.
   */
  List<String> enclosingSections() {
    List<String> out = new ArrayList<>();
    for (int dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      out.add(key.substring(0, dot));
    }
    return out;
  }

  /** The part after the last dot, or the whole key for a top-level key. */
  String leaf() {
    return key.substring(key.lastIndexOf('.') + 1);
  }
}
