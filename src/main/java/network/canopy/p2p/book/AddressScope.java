package network.canopy.p2p.book;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.Optional;
import network.canopy.p2p.config.HostPort;

/**
 * Where an IP address can be reached from, for the peer-exchange rule (docs/PROTOCOL.md, "Peer
 * exchange"): an address is shared with, and accepted by, only nodes at least as local as it is.
 * Also the network group (IPv4 /16, IPv6 /32) that outbound selection spreads over.
 */
public enum AddressScope {
  /** Reachable from anywhere. */
  PUBLIC,
  /** RFC 1918, CGNAT 100.64/10, link-local, IPv6 unique-local: reachable inside one network. */
  PRIVATE,
  /** 127/8 and ::1: reachable on one machine. */
  LOOPBACK,
  /** Unspecified, multicast, broadcast, 0/8 or 240/4: never dialable. */
  INVALID;

  public static AddressScope of(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return LOOPBACK;
    }
    if (a.isAnyLocalAddress() || a.isMulticastAddress() || reservedV4(a)) {
      return INVALID;
    }
    if (a.isSiteLocalAddress()
        || a.isLinkLocalAddress()
        || carrierGradeNat(a)
        || uniqueLocalV6(a)) {
      return PRIVATE;
    }
    return PUBLIC;
  }

  /** The scope of an IP literal; empty for a host name, which is never resolved here. */
  public static Optional<AddressScope> of(HostPort address) {
    return address.ipLiteral().map(AddressScope::of);
  }

  /**
   * Whether an address of this scope may be shared with, or accepted by, a node of scope {@code
   * node}.
   */
  boolean reachableFrom(AddressScope node) {
    return this != INVALID && node != INVALID && ordinal() <= node.ordinal();
  }

  /** The network group: IPv4 /16 or IPv6 /32, so one operator's range counts once. */
  static String group(InetAddress a) {
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      return "v4:" + (b[0] & 0xff) + "." + (b[1] & 0xff);
    }
    return "v6:" + HexFormat.of().formatHex(b, 0, 4);
  }

  private static boolean reservedV4(InetAddress a) {
    if (!(a instanceof Inet4Address)) {
      return false;
    }
    int first = a.getAddress()[0] & 0xff;
    return first == 0 || first >= 240;
  }

  private static boolean carrierGradeNat(InetAddress a) {
    byte[] b = a.getAddress();
    return a instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
  }

  private static boolean uniqueLocalV6(InetAddress a) {
    return !(a instanceof Inet4Address) && (a.getAddress()[0] & 0xfe) == 0xfc;
  }
}
