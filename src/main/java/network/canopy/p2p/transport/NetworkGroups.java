package network.canopy.p2p.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * The prefixes inbound limits count by: the subnet (IPv4 /24, IPv6 /48) of the per-subnet limit and
 * the network group (IPv4 /16, IPv6 /32) that shares the handshakes in progress. Loopback addresses
 * have neither unless {@code groupLoopback}: every process of this machine comes from 127.0.0.0/8
 * (local test networks, a sentry's validator), so only the per-IP limit applies there.
 */
record NetworkGroups(boolean groupLoopback) {

  static final NetworkGroups DEFAULT = new NetworkGroups(false);

  /** The /24 or /48 of {@code ip}; null when the subnet limit does not apply. */
  String subnet(InetAddress ip) {
    return prefix(ip, 3, 6);
  }

  /** The /16 or /32 of {@code ip}; null when the group cap does not apply. */
  String group(InetAddress ip) {
    return prefix(ip, 2, 4);
  }

  private String prefix(InetAddress ip, int v4Bytes, int v6Bytes) {
    if (ip.isLoopbackAddress() && !groupLoopback) {
      return null;
    }
    boolean v4 = ip instanceof Inet4Address;
    return (v4 ? "v4:" : "v6:")
        + HexFormat.of().formatHex(ip.getAddress(), 0, v4 ? v4Bytes : v6Bytes);
  }
}
