package network.canopy.p2p.config;

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
  static final long MAX_MESSAGE_SIZE_LIMIT = Integer.MAX_VALUE;

  private P2pParser() {}

  static P2pConfig parse(FieldReader r) {
    HostPort listen = r.hostPort("listen");
    Optional<HostPort> external = external(r);
    List<PeerAddress> dial = dial(r);
    int maxInbound = r.intIn("maxInbound", 0, Integer.MAX_VALUE);
    int maxOutbound = r.intIn("maxOutbound", 0, Integer.MAX_VALUE);
    int maxPerIp = r.intIn("maxPerIp", 0, Integer.MAX_VALUE);
    int maxPerSubnet = r.intIn("maxPerSubnet", 0, Integer.MAX_VALUE);
    int maxPendingPerGroup = r.intIn("maxPendingPerGroup", 1, Integer.MAX_VALUE);
    List<String> trusted = peerIds(r, "trustedPeers");
    List<String> bannedPeers = peerIds(r, "bannedPeers");
    List<String> bannedIps = bannedIps(r);
    List<String> bannedCountries = countries(r);
    Optional<Path> geoip = r.optionalPath("geoipDatabase");
    long handshakeTimeout = r.longIn("handshakeTimeoutMs", 1, Long.MAX_VALUE);
    long heartbeatInterval = r.longIn("heartbeatIntervalMs", 1, Long.MAX_VALUE);
    long heartbeatTimeout = r.longIn("heartbeatTimeoutMs", 1, Long.MAX_VALUE);
    checkHeartbeat(r, heartbeatInterval, heartbeatTimeout);
    long sendRate = r.longIn("sendRateBytesPerSec", 0, Long.MAX_VALUE);
    long recvRate = r.longIn("recvRateBytesPerSec", 0, Long.MAX_VALUE);
    long maxMessageSize = r.longIn("maxMessageSize", 1, MAX_MESSAGE_SIZE_LIMIT);
    long sendQueue = r.longIn("sendQueueBytes", 1, Long.MAX_VALUE);
    long inbox = r.longIn("inboxBytes", 1, Long.MAX_VALUE);
    long banDuration = r.longIn("banDurationMs", 1, 24L * 3600 * 1000);
    int socketBuffer = r.intIn("socketBufferBytes", 0, 64 << 20);
    Set<String> capabilities = capabilities(r);
    DiscoveryConfig discovery = new DiscoveryConfig(
        r.bool("discovery"),
        r.longIn("peerExchangeIntervalMs", 1, Long.MAX_VALUE),
        r.intIn("peerExchangeRequestsPerMinute", 1, Integer.MAX_VALUE),
        r.intIn("bookCapacity", 1, 1_000_000),
        r.intIn("maxDialFailures", 1, Integer.MAX_VALUE),
        r.longIn("feelerIntervalMs", 1, Long.MAX_VALUE));
    return new P2pConfig(listen, external, dial, maxInbound, maxOutbound, maxPerIp, maxPerSubnet,
        maxPendingPerGroup, trusted,
        bannedPeers, bannedIps, bannedCountries, geoip, handshakeTimeout, heartbeatInterval,
        heartbeatTimeout, sendRate, recvRate, maxMessageSize, sendQueue, inbox, banDuration, socketBuffer, discovery,
        capabilities);
  }

  /** Other peers will dial this address, so it must be concrete. */
  private static Optional<HostPort> external(FieldReader r) {
    Optional<HostPort> external = r.optionalHostPort("external");
    external.ifPresent(a -> {
      if (a.port() == 0) {
        r.problems().add(r.key("external"), "port 0 cannot be advertised (got " + a + ")");
      } else if (a.isWildcard()) {
        r.problems().add(r.key("external"), "a wildcard address cannot be advertised (got " + a + ")");
      }
    });
    return external;
  }

  private static List<PeerAddress> dial(FieldReader r) {
    List<String> items = r.list("dial");
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

  private static List<String> peerIds(FieldReader r, String field) {
    List<String> items = r.list(field);
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      try {
        out.add(PeerAddress.normalizeId(items.get(i)));
      } catch (IllegalArgumentException e) {
        r.problems().add(r.key(field) + "[" + i + "]", e.getMessage());
      }
    }
    return out;
  }

  private static List<String> bannedIps(FieldReader r) {
    List<String> items = r.list("bannedIps");
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
    List<String> items = r.list("capabilities");
    Set<String> out = new TreeSet<>();
    for (int i = 0; i < items.size(); i++) {
      String name = items.get(i);
      if (Capability.SUPPORTED.contains(name)) {
        out.add(name);
      } else {
        r.problems().add(r.key("capabilities") + "[" + i + "]", "'" + name
            + "' is not a capability this version speaks (it speaks " + new TreeSet<>(Capability.SUPPORTED) + ")");
      }
    }
    return out;
  }

  private static List<String> countries(FieldReader r) {
    List<String> items = r.list("bannedCountries");
    List<String> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      String code = items.get(i);
      if (code.matches("[A-Za-z]{2}")) {
        out.add(code.toUpperCase(Locale.ROOT));
      } else {
        r.problems().add(r.key("bannedCountries") + "[" + i + "]",
            "'" + code + "' is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE)");
      }
    }
    return out;
  }

  private static void checkHeartbeat(FieldReader r, long interval, long timeout) {
    String intervalKey = r.key("heartbeatIntervalMs");
    String timeoutKey = r.key("heartbeatTimeoutMs");
    if (!r.problems().has(intervalKey) && !r.problems().has(timeoutKey) && timeout <= interval) {
      r.problems().add(timeoutKey, "must exceed " + intervalKey + " (" + interval + "), got "
          + timeout);
    }
  }
}
