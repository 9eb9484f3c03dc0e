package network.canopy.p2p.config;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A host (name, IPv4 or IPv6 literal) and a port, written {@code host:port} or {@code [ipv6]:port}.
 * Port 0 is allowed and means "pick a free port" where the address is listened on.
 */
public record HostPort(String host, int port) {
  public static final int MAX_PORT = 65535;
  private static final Pattern DIGITS = Pattern.compile("\\d{1,9}");

  public HostPort {
    Objects.requireNonNull(host, "host");
    String problem = IpLiterals.hostProblem(host);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    if (port < 0 || port > MAX_PORT) {
      throw new IllegalArgumentException(badPort(Integer.toString(port)));
    }
  }

  /**
   * Parses {@code host:port} or {@code [ipv6]:port}.
   *
   * @throws IllegalArgumentException with a one-line reason, e.g. {@code bad port 70000 (must be
   *     0..65535)}
   */
  public static HostPort parse(String text) {
    Objects.requireNonNull(text, "text");
    String s = text.trim();
    String host;
    String portText;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
        throw cannotParse(text);
      }
      host = s.substring(1, close);
      if (!IpLiterals.isIpv6(host)) {
        throw new IllegalArgumentException("'" + host + "' in brackets is not an IPv6 address");
      }
      portText = s.substring(close + 2);
    } else {
      int colon = s.lastIndexOf(':');
      if (colon < 0) {
        throw cannotParse(text);
      }
      host = s.substring(0, colon);
      if (host.indexOf(':') >= 0) {
        throw new IllegalArgumentException(
            "cannot parse '"
                + text
                + "' as HOST:PORT (put an IPv6 address in brackets, e.g. [::1]:9001)");
      }
      portText = s.substring(colon + 1);
    }
    return new HostPort(host, parsePort(portText));
  }

  private static int parsePort(String text) {
    if (!DIGITS.matcher(text).matches()) {
      throw new IllegalArgumentException(badPort("'" + text + "'"));
    }
    int port = Integer.parseInt(text);
    if (port > MAX_PORT) {
      throw new IllegalArgumentException(badPort(text));
    }
    return port;
  }

  private static String badPort(String shown) {
    return "bad port " + shown + " (must be 0.." + MAX_PORT + ")";
  }

  private static IllegalArgumentException cannotParse(String text) {
    return new IllegalArgumentException("cannot parse '" + text + "' as HOST:PORT");
  }

  /**
   * True for localhost, 127.0.0.0/8 and ::1; host names other than localhost are never resolved.
   */
  public boolean isLoopback() {
    return IpLiterals.isLoopback(host);
  }

  /** True for 0.0.0.0 and ::, which can be listened on but not dialled or advertised. */
  public boolean isWildcard() {
    return IpLiterals.isWildcard(host);
  }

  /** The host as an address when it is an IP literal; empty for a host name (never resolved). */
  public Optional<InetAddress> ipLiteral() {
    return Optional.ofNullable(IpLiterals.literal(host));
  }

  @Override
  public String toString() {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }
}
