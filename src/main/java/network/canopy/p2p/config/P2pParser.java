package network.canopy.p2p.config;

import static network.canopy.p2p.config.ConfigKey.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import network.canopy.p2p.wire.Capability;

/** Turns the {@code p2p} section into a {@link P2pConfig}, recording every problem it finds. */
final class P2pParser {
  /** Messages are read into a Buffer, whose size is an int. */
  static final long MAX_MESSAGE_SIZE_LIMIT = ConfigKey.P2P_MAX_MESSAGE_SIZE.spec().max();

  private P2pParser() {}

  static P2pConfig parse(FieldReader r) {
    HostPort listen = r.hostPort("listen");
    Optional<HostPort> external = external(r);
    List<PeerAddress> dial = dial(r);
    int maxInbound = r.intOf(P2P_MAX_INBOUND);
    int maxOutbound = r.intOf(P2P_MAX_OUTBOUND);
    int maxPerIp = r.intOf(P2P_MAX_PER_IP);
    int maxPerSubnet = r.intOf(P2P_MAX_PER_SUBNET);
    int maxPendingPerGroup = r.intOf(P2P_MAX_PENDING_PER_GROUP);
    List<String> trusted = peerIds(r, P2P_TRUSTED_PEERS);
    List<String> bannedPeers = peerIds(r, P2P_BANNED_PEERS);
    List<String> bannedIps = bannedIps(r);
    List<String> bannedCountries = countries(r);
    Optional<Path> geoip = r.optionalPath("geoipDatabase");
    long handshakeTimeout = r.longOf(P2P_HANDSHAKE_TIMEOUT_MS);
    long heartbeatInterval = r.longOf(P2P_HEARTBEAT_INTERVAL_MS);
    long heartbeatTimeout = r.longOf(P2P_HEARTBEAT_TIMEOUT_MS);
    checkHeartbeat(r, heartbeatInterval, heartbeatTimeout);
    long sendRate = r.longOf(P2P_SEND_RATE_BYTES_PER_SEC);
    long recvRate = r.longOf(P2P_RECV_RATE_BYTES_PER_SEC);
    long maxMessageSize = r.longOf(P2P_MAX_MESSAGE_SIZE);
    long sendQueue = r.longOf(P2P_SEND_QUEUE_BYTES);
    long sendWait = r.longOf(P2P_SEND_WAIT_MS);
    long inbox = r.longOf(P2P_INBOX_BYTES);
    long memoryBudget = r.longOf(P2P_MEMORY_BUDGET_BYTES);
    long banDuration = r.longOf(P2P_BAN_DURATION_MS);
    int socketBuffer = r.intOf(P2P_SOCKET_BUFFER_BYTES);
    int notSentLowWater = r.intOf(P2P_NOT_SENT_LOW_WATER_BYTES);
    Set<String> capabilities = capabilities(r);
    DiscoveryConfig discovery =
        new DiscoveryConfig(
            r.boolOf(P2P_DISCOVERY),
            r.longOf(P2P_PEER_EXCHANGE_INTERVAL_MS),
            r.intOf(P2P_PEER_EXCHANGE_REQUESTS_PER_MINUTE),
            r.intOf(P2P_BOOK_CAPACITY),
            r.intOf(P2P_MAX_DIAL_FAILURES),
            r.longOf(P2P_FEELER_INTERVAL_MS),
            r.intOf(P2P_OBSERVED_ADDRESS_QUORUM));
    return new P2pConfig(
        listen,
        external,
        dial,
        maxInbound,
        maxOutbound,
        maxPerIp,
        maxPerSubnet,
        maxPendingPerGroup,
        trusted,
        bannedPeers,
        bannedIps,
        bannedCountries,
        geoip,
        handshakeTimeout,
        heartbeatInterval,
        heartbeatTimeout,
        sendRate,
        recvRate,
        maxMessageSize,
        sendQueue,
        sendWait,
        inbox,
        memoryBudget,
        banDuration,
        socketBuffer,
        notSentLowWater,
        discovery,
        capabilities);
  }

  /** Other peers will dial this address, so it must be concrete. */
  private static Optional<HostPort> external(FieldReader r) {
    Optional<HostPort> external = r.optionalHostPort("external");
    external.ifPresent(
        a -> {
          if (a.port() == 0) {
            r.problems().add(r.key("external"), "port 0 cannot be advertised (got " + a + ")");
          } else if (a.isWildcard()) {
            r.problems()
                .add(r.key("external"), "a wildcard address cannot be advertised (got " + a + ")");
          }
        });
    return external;
  }

  private static List<PeerAddress> dial(FieldReader r) {
    List<String> items = r.listOf(P2P_DIAL);
    List<PeerAddress> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        out.add(PeerAddress.parse(items.get(i)));
      } catch (IllegalArgumentException e) {
        r.problems().add(r.key("dial") + "[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private static List<String> peerIds(FieldReader r, ConfigKey key) {
    List<String> items = r.listOf(key);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        out.add(PeerAddress.normalizeId(items.get(i)));
      } catch (IllegalArgumentException e) {
        r.problems().add(key.key() + "[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private static List<String> bannedIps(FieldReader r) {
    List<String> items = r.listOf(P2P_BANNED_IPS);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String problem = IpLiterals.ipOrCidrProblem(items.get(i));
      if (problem == null) {
        out.add(items.get(i).toLowerCase(Locale.ROOT));
      } else {
        r.problems().add(r.key("bannedIps") + "[" + i + "]", problem);
      }
    }
    return out;
  }

  /** Each must be a capability this code speaks: a typo would silently switch a feature off. */
  private static Set<String> capabilities(FieldReader r) {
    List<String> items = r.listOf(P2P_CAPABILITIES);
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < items.size(); i++) {
      String name = items.get(i);
      if (Capability.SUPPORTED.contains(name)) {
        out.add(name);
      } else {
        r.problems()
            .add(
                r.key("capabilities") + "[" + i + "]",
                "'"
                    + name
                    + "' is not a capability this version speaks (it speaks "
                    + new TreeSet<>(Capability.SUPPORTED)
                    + ")");
      }
    }
    return out;
  }

  private static List<String> countries(FieldReader r) {
    List<String> items = r.listOf(P2P_BANNED_COUNTRIES);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String code = items.get(i);
      if (code.matches("[A-Za-z]{2}")) {
        out.add(code.toUpperCase(Locale.ROOT));
      } else {
        r.problems()
            .add(
                r.key("bannedCountries") + "[" + i + "]",
                "'" + code + "' is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE)");
      }
    }
    return out;
  }

  private static void checkHeartbeat(FieldReader r, long interval, long timeout) {
    String intervalKey = r.key("heartbeatIntervalMs");
    String timeoutKey = r.key("heartbeatTimeoutMs");
    if (!r.problems().has(intervalKey) && !r.problems().has(timeoutKey) && timeout <= interval) {
      r.problems()
          .add(timeoutKey, "must exceed " + intervalKey + " (" + interval + "), got " + timeout);
    }
  }
}
