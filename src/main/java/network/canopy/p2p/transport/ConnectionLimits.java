package network.canopy.p2p.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inbound counters every listener instance of one node shares: open connections per remote IP
 * and per subnet, and handshakes in progress, node-wide and per network group ({@link
 * NetworkGroups}). Thread-safe: instances run on different event loops.
 */
public final class ConnectionLimits {

  private final int maxPerIp;
  private final int maxPendingHandshakes;
  private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final int maxPerSubnet;
  private final int maxPendingPerGroup;
  private final NetworkGroups groups;
  private final ConcurrentHashMap<String, Integer> perSubnet = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> pendingPerGroup = new ConcurrentHashMap<>();

  /**
   * No subnet or group limits. {@code maxPerIp} 0 refuses every inbound connection, as the key's
   * text says.
   */
  public ConnectionLimits(int maxPerIp, int maxPendingHandshakes) {
    this(
        maxPerIp,
        maxPendingHandshakes,
        Integer.MAX_VALUE,
        Integer.MAX_VALUE,
        NetworkGroups.DEFAULT);
  }

  ConnectionLimits(
      int maxPerIp,
      int maxPendingHandshakes,
      int maxPerSubnet,
      int maxPendingPerGroup,
      NetworkGroups groups) {
    if (maxPerIp < 0 || maxPendingHandshakes < 0 || maxPerSubnet < 0 || maxPendingPerGroup < 0) {
      throw new IllegalArgumentException(
          "limits must be >= 0: maxPerIp="
              + maxPerIp
              + " maxPendingHandshakes="
              + maxPendingHandshakes
              + " maxPerSubnet="
              + maxPerSubnet
              + " maxPendingPerGroup="
              + maxPendingPerGroup);
    }
    this.maxPerIp = maxPerIp;
    this.maxPendingHandshakes = maxPendingHandshakes;
    this.maxPerSubnet = maxPerSubnet;
    this.maxPendingPerGroup = maxPendingPerGroup;
    this.groups = groups;
  }

  /** Takes one of {@code ip}'s subnet slots; false (and nothing taken) when all are in use. */
  boolean tryOpenSubnet(InetAddress ip) {
    String subnet = groups.subnet(ip);
    return subnet == null || tryTake(perSubnet, subnet, maxPerSubnet);
  }

  void closedSubnet(InetAddress ip) {
    String subnet = groups.subnet(ip);
    if (subnet != null) {
      perSubnet.computeIfPresent(subnet, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  private static boolean tryTake(ConcurrentHashMap<String, Integer> counts, String key, int max) {
    boolean[] taken = {false};
    counts.compute(
        key,
        (k, n) -> {
          int held = n == null ? 0 : n;
          if (held >= max) {
            return n;
          }
          taken[0] = true;
          return held + 1;
        });
    return taken[0];
  }

  /** Takes one of {@code ip}'s connection slots; false (and nothing taken) when all are in use. */
  boolean tryOpen(InetAddress ip) {
    boolean[] taken = {false};
    perIp.compute(
        ip,
        (k, n) -> {
          int open = n == null ? 0 : n;
          if (open >= maxPerIp) {
            return n;
          }
          taken[0] = true;
          return open + 1;
        });
    return taken[0];
  }

  /** Gives back a slot taken by {@link #tryOpen}; the entry goes once its count is zero. */
  void closed(InetAddress ip) {
    perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * False (nothing taken) when the node-wide cap is reached; see {@link #tryStartHandshakeInGroup}.
   */
  boolean tryStartHandshake() {
    if (pending.incrementAndGet() > maxPendingHandshakes) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  /**
   * Takes one of the handshake slots of {@code ip}'s network group: one group (an attacker's /16)
   * holds at most {@code maxPendingPerGroup} of the node's handshakes in progress, whatever its
   * number of addresses. False (nothing taken) when they are all in use.
   */
  boolean tryStartHandshakeInGroup(InetAddress ip) {
    String group = groups.group(ip);
    return group == null || tryTake(pendingPerGroup, group, maxPendingPerGroup);
  }

  void handshakeFinished() {
    pending.decrementAndGet();
  }

  void handshakeFinishedInGroup(InetAddress ip) {
    String group = groups.group(ip);
    if (group != null) {
      pendingPerGroup.computeIfPresent(group, (k, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Handshakes in progress from {@code ip}'s network group (0 when groups do not apply to it). */
  public int pendingInGroup(InetAddress ip) {
    String group = groups.group(IpBlocklist.canonical(ip));
    return group == null ? 0 : pendingPerGroup.getOrDefault(group, 0);
  }

  /** Inbound connections from {@code ip} open now (accepted, not yet closed). */
  public int openFrom(InetAddress ip) {
    return perIp.getOrDefault(IpBlocklist.canonical(ip), 0);
  }

  /** Distinct remote IPs with an open inbound connection. */
  public int remoteIps() {
    return perIp.size();
  }

  public int pendingHandshakes() {
    return pending.get();
  }
}
