package network.canopy.p2p.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Syntax checks for host names, IP literals and CIDR blocks. Parsing is done by hand so that
 * validating a config never triggers a DNS lookup.
 */
public final class IpLiterals {
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
  private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");
  private static final Pattern HOST_NAME =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*");
  private static final Pattern NUMERIC_ISH = Pattern.compile("[0-9.]+");
  private static final int MAX_HOST_NAME = 253;

  private IpLiterals() {}

  static boolean isIpv4(String s) {
    var m = IPV4.matcher(s);
    if (!m.matches()) {
      return false;
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        return false;
      }
    }
    return true;
  }

  /** RFC 4291 text forms: eight groups, one "::", optional trailing dotted quad; no zone ids. */
  static boolean isIpv6(String s) {
    int dbl = s.indexOf("::");
    if (s.isEmpty() || (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0)) {
      return false;
    }
    String head = dbl < 0 ? s : s.substring(0, dbl);
    String tail = dbl < 0 ? "" : s.substring(dbl + 2);
    // A dotted quad may only end the whole address, so the head may hold one only without "::".
    int headGroups = countGroups(head, dbl < 0);
    int tailGroups = countGroups(tail, true);
    if (headGroups < 0 || tailGroups < 0) {
      return false;
    }
    int total = headGroups + tailGroups;
    return dbl < 0 ? total == 8 : total <= 7;
  }

  private static int countGroups(String part, boolean dottedQuadLast) {
    if (part.isEmpty()) {
      return 0;
    }
    String[] groups = part.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (i == groups.length - 1 && dottedQuadLast && g.indexOf('.') >= 0) {
        if (!isIpv4(g)) {
          return -1;
        }
        count += 2;
      } else if (HEX_GROUP.matcher(g).matches()) {
        count++;
      } else {
        return -1;
      }
    }
    return count;
  }

  /** Null when {@code host} is an IPv4 literal, an IPv6 literal or a plausible host name. */
  static String hostProblem(String host) {
    if (host.isEmpty()) {
      return "empty host";
    }
    if (host.indexOf(':') >= 0) {
      return isIpv6(host) ? null : "'" + host + "' is not an IPv6 address";
    }
    if (NUMERIC_ISH.matcher(host).matches()) {
      return isIpv4(host) ? null : "'" + host + "' is not an IPv4 address";
    }
    boolean name = host.length() <= MAX_HOST_NAME && HOST_NAME.matcher(host).matches();
    return name ? null : "'" + host + "' is not a valid host name";
  }

  /** Null when {@code s} is an IP address or an IP/prefix CIDR block of either family. */
  public static String ipOrCidrProblem(String s) {
    int slash = s.indexOf('/');
    String ip = slash < 0 ? s : s.substring(0, slash);
    boolean v4 = isIpv4(ip);
    if (!v4 && !isIpv6(ip)) {
      return "'" + s + "' is not an IP address or CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32)";
    }
    if (slash < 0) {
      return null;
    }
    String prefix = s.substring(slash + 1);
    int max = v4 ? 32 : 128;
    if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > max) {
      return "'" + s + "' has a bad prefix length (must be 0.." + max + ")";
    }
    return null;
  }

  static boolean isLoopback(String host) {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    InetAddress address = literal(host);
    return address != null && address.isLoopbackAddress();
  }

  static boolean isWildcard(String host) {
    InetAddress address = literal(host);
    return address != null && address.isAnyLocalAddress();
  }

  /** The address of an IP literal, or null for a host name (which is never resolved here). */
  public static InetAddress literal(String host) {
    if (!isIpv4(host) && !isIpv6(host)) {
      return null;
    }
    try {
      // Safe: the text is a checked literal, for which the JDK parses rather than resolves.
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
