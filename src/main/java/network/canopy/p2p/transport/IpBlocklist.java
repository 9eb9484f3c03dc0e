package network.canopy.p2p.transport;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Banned IP addresses and CIDR blocks of both families, parsed once into per-family prefix sets so
 * that a check costs one hash probe per distinct prefix length. IPv4-mapped IPv6 forms ({@code
 * ::ffff:a.b.c.d}) count as IPv4, in rules and in checked addresses alike.
 */
public final class IpBlocklist {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
  private static final byte[] MAPPED_PREFIX = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff
  };

  private final PrefixSet v4;
  private final PrefixSet v6;

  private IpBlocklist(PrefixSet v4, PrefixSet v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  /**
   * Parses {@code IP} or {@code IP/prefix} entries (host bits below the prefix are ignored).
   *
   * @throws IllegalArgumentException naming the first entry that is not an IP literal or CIDR block
   */
  public static IpBlocklist parse(List<String> entries) {
    PrefixSet.Builder v4 = new PrefixSet.Builder(32);
    PrefixSet.Builder v6 = new PrefixSet.Builder(128);
    for (String entry : entries) {
      int slash = entry.indexOf('/');
      byte[] ip = literal(slash < 0 ? entry : entry.substring(0, slash), entry);
      int max = ip.length * 8;
      int prefix = slash < 0 ? max : prefixLength(entry.substring(slash + 1), max, entry);
      if (ip.length == 16 && prefix >= 96 && isMapped(ip)) {
        // ::ffff:a.b.c.d/n is an IPv4 rule written in IPv6 notation.
        v4.add(Arrays.copyOfRange(ip, 12, 16), prefix - 96);
      } else {
        (ip.length == 4 ? v4 : v6).add(ip, prefix);
      }
    }
    return new IpBlocklist(v4.build(), v6.build());
  }

  /** True when the address falls in any banned block; IPv6 blocks never match IPv4 addresses. */
  public boolean banned(InetAddress address) {
    byte[] ip = canonical(address).getAddress();
    return ip.length == 4 ? v4.contains(ip) : v6.contains(ip);
  }

  public boolean isEmpty() {
    return v4.isEmpty() && v6.isEmpty();
  }

  /** The address itself, or its IPv4 form when it is an IPv4-mapped IPv6 address. */
  static InetAddress canonical(InetAddress address) {
    byte[] ip = address.getAddress();
    if (ip.length == 16 && isMapped(ip)) {
      try {
        return InetAddress.getByAddress(Arrays.copyOfRange(ip, 12, 16));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("4 bytes are always a valid IPv4 address", e);
      }
    }
    return address;
  }

  private static boolean isMapped(byte[] ip) {
    return Arrays.equals(ip, 0, 12, MAPPED_PREFIX, 0, 12);
  }

  private static byte[] literal(String ip, String entry) {
    if (IPV4.matcher(ip).matches()) {
      // Parsed here: the JDK would look an out-of-range dotted quad up in DNS as a host name.
      return ipv4(ip, entry);
    }
    if (!IPV6.matcher(ip).matches()) {
      throw new IllegalArgumentException(
          "banned IP '" + entry + "' is not an IP address or CIDR block");
    }
    // Text with a colon is always parsed as an IPv6 literal, never resolved.
    try {
      InetAddress parsed = InetAddress.getByName(ip);
      // The JDK turns "::ffff:a.b.c.d" into an Inet4Address; keep the written family for the
      // prefix.
      return ip.indexOf(':') >= 0 && parsed instanceof Inet4Address
          ? mapped(parsed.getAddress())
          : parsed.getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(
          "banned IP '" + entry + "' is not an IP address or CIDR block", e);
    }
  }

  private static byte[] ipv4(String ip, String entry) {
    String[] parts = ip.split("\\.");
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      int octet = Integer.parseInt(parts[i]);
      if (octet > 255) {
        throw new IllegalArgumentException(
            "banned IP '" + entry + "' is not an IP address or CIDR block");
      }
      out[i] = (byte) octet;
    }
    return out;
  }

  private static byte[] mapped(byte[] v4) {
    byte[] out = Arrays.copyOf(MAPPED_PREFIX, 16);
    System.arraycopy(v4, 0, out, 12, 4);
    return out;
  }

  private static int prefixLength(String text, int max, String entry) {
    int prefix;
    try {
      prefix = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 0 || prefix > max || !text.matches("\\d{1,3}")) {
      throw new IllegalArgumentException(
          "banned IP '" + entry + "' has a bad prefix length (must be 0.." + max + ")");
    }
    return prefix;
  }
}
