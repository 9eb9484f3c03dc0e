package network.canopy.p2p.reputation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import network.canopy.p2p.config.IpLiterals;

/**
 * An IP address or CIDR block of either family, as an operator bans it ({@code 203.0.113.7}, {@code
 * 10.0.0.0/8}, {@code 2001:db8::/32}). Parsed without any name lookup.
 */
public record IpRange(String text, byte[] network, int prefixLength) {

  /** Parses {@code s}; throws IllegalArgumentException with a message fit for the operator. */
  public static IpRange parse(String s) {
    String problem = s == null ? "missing IP address" : IpLiterals.ipOrCidrProblem(s.trim());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    String trimmed = s.trim();
    int slash = trimmed.indexOf('/');
    InetAddress address = IpLiterals.literal(slash < 0 ? trimmed : trimmed.substring(0, slash));
    if (address == null) {
      throw new IllegalArgumentException("'" + s + "' is not an IP address or CIDR block");
    }
    byte[] bytes = address.getAddress();
    int bits = bytes.length * 8;
    int prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
    byte[] network = mask(bytes, prefix);
    return new IpRange(text(network) + (prefix == bits ? "" : "/" + prefix), network, prefix);
  }

  /** True when {@code address} lies in this range (an IPv4 range never holds an IPv6 address). */
  public boolean contains(InetAddress address) {
    byte[] ip = address.getAddress();
    return ip.length == network.length && Arrays.equals(mask(ip, prefixLength), network);
  }

  private static byte[] mask(byte[] ip, int prefix) {
    byte[] out = ip.clone();
    for (int i = 0; i < out.length; i++) {
      int keep = Math.max(0, Math.min(8, prefix - i * 8));
      out[i] = (byte) (out[i] & (0xff << (8 - keep)));
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpRange r && r.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The text form of address bytes (no lookup is made for a byte address). */
  private static String text(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e); // only for a wrong length, which parse rules out
    }
  }
}
