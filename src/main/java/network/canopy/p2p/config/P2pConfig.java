package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code p2p.*} settings: addresses, peer limits, allow/deny lists, timers, rate limits and the
 * message size bound. Empty optionals mean "not set": no external address (advertise the listen
 * address) and no GeoIP path (use the bundled database). Rates of 0 mean unlimited. {@code
 * sendQueueBytes} bounds what one connection may have queued for sending (each topic's queue is
 * further bounded by twice its message limit), and {@code sendWaitMs} is how long a send to a full
 * queue waits for room before it fails; {@code inboxBytes} bounds, per topic and connection, the
 * received messages waiting for a slow application before the socket is paused. {@code
 * socketBufferBytes} sets the kernel's send and receive buffers of peer sockets (0 = the OS's
 * autotuning); {@code notSentLowWaterBytes} is their TCP_NOTSENT_LOWAT (0 = not set; only on the
 * epoll transport). {@code discovery} holds the peer book's settings. {@code capabilities} are the
 * wire capabilities this node announces (docs/PROTOCOL.md §4.5). {@code maxPerSubnet} bounds
 * inbound connections from one IPv4 /24 or IPv6 /48, {@code maxPendingPerGroup} the handshakes in
 * progress from one network group (IPv4 /16, IPv6 /32).
 */
public record P2pConfig(
    HostPort listen,
    Optional<HostPort> external,
    List<PeerAddress> dial,
    int maxInbound,
    int maxOutbound,
    int maxPerIp,
    int maxPerSubnet,
    int maxPendingPerGroup,
    List<String> trustedPeers,
    List<String> bannedPeers,
    List<String> bannedIps,
    List<String> bannedCountries,
    Optional<Path> geoipDatabase,
    long handshakeTimeoutMs,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs,
    long sendRateBytesPerSec,
    long recvRateBytesPerSec,
    long maxMessageSize,
    long sendQueueBytes,
    long sendWaitMs,
    long inboxBytes,
    long memoryBudgetBytes,
    long banDurationMs,
    int socketBufferBytes,
    int notSentLowWaterBytes,
    DiscoveryConfig discovery,
    Set<String> capabilities) {

  public P2pConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(external, "external");
    Objects.requireNonNull(geoipDatabase, "geoipDatabase");
    Objects.requireNonNull(discovery, "discovery");
    dial = List.copyOf(dial);
    trustedPeers = List.copyOf(trustedPeers);
    bannedPeers = List.copyOf(bannedPeers);
    bannedIps = List.copyOf(bannedIps);
    bannedCountries = List.copyOf(bannedCountries);
    capabilities = Set.copyOf(capabilities);
  }

  /** The address told to other peers: the external one when set, else the listen address. */
  public HostPort advertised() {
    return external.orElse(listen);
  }

  public JsonObject toJson() {
    return discovery.putInto(
        new JsonObject()
            .put("listen", listen.toString())
            .put("external", external.map(HostPort::toString).orElse(""))
            .put("dial", strings(dial))
            .put("maxInbound", maxInbound)
            .put("maxOutbound", maxOutbound)
            .put("maxPerIp", maxPerIp)
            .put("maxPerSubnet", maxPerSubnet)
            .put("maxPendingPerGroup", maxPendingPerGroup)
            .put("trustedPeers", strings(trustedPeers))
            .put("bannedPeers", strings(bannedPeers))
            .put("bannedIps", strings(bannedIps))
            .put("bannedCountries", strings(bannedCountries))
            .put("geoipDatabase", geoipDatabase.map(Path::toString).orElse(""))
            .put("handshakeTimeoutMs", handshakeTimeoutMs)
            .put("heartbeatIntervalMs", heartbeatIntervalMs)
            .put("heartbeatTimeoutMs", heartbeatTimeoutMs)
            .put("sendRateBytesPerSec", sendRateBytesPerSec)
            .put("recvRateBytesPerSec", recvRateBytesPerSec)
            .put("maxMessageSize", maxMessageSize)
            .put("sendQueueBytes", sendQueueBytes)
            .put("sendWaitMs", sendWaitMs)
            .put("inboxBytes", inboxBytes)
            .put("memoryBudgetBytes", memoryBudgetBytes)
            .put("banDurationMs", banDurationMs)
            .put("socketBufferBytes", socketBufferBytes)
            .put("notSentLowWaterBytes", notSentLowWaterBytes)
            .put("capabilities", new JsonArray(List.copyOf(new TreeSet<>(capabilities)))));
  }

  private static JsonArray strings(List<?> values) {
    List<Object> out = new ArrayList<>(values.size());
    values.forEach(v -> out.add(v.toString()));
    return new JsonArray(out);
  }
}
