package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @Test
  void parsesIpv4HostNameAndBracketedIpv6() {
    assertThat(HostPort.parse("0.0.0.0:9001")).isEqualTo(new HostPort("0.0.0.0", 9001));
    assertThat(HostPort.parse("node-1.example.org:80"))
        .isEqualTo(new HostPort("node-1.example.org", 80));
    assertThat(HostPort.parse("[::1]:9080")).isEqualTo(new HostPort("::1", 9080));
    assertThat(HostPort.parse("[2001:db8::ff00:42:8329]:0").host())
        .isEqualTo("2001:db8::ff00:42:8329");
    assertThat(HostPort.parse("[::ffff:192.0.2.1]:1").port()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0:9001",
        "localhost:0",
        "[::1]:9080",
        "[2001:db8::1]:65535",
        "[fe80:0:0:0:0:0:0:1]:7",
        "[::]:9001",
        "[::ffff:10.0.0.1]:443"
      })
  void toStringRoundTrips(String text) {
    HostPort parsed = HostPort.parse(text);
    assertThat(parsed.toString()).isEqualTo(text);
    assertThat(HostPort.parse(parsed.toString())).isEqualTo(parsed);
  }

  @Test
  void reportsBadPortWithTheValueAndTheRange() {
    assertThatThrownBy(() -> HostPort.parse("0.0.0.0:70000"))
        .hasMessage("bad port 70000 (must be 0..65535)");
    assertThatThrownBy(() -> HostPort.parse("h:abc"))
        .hasMessage("bad port 'abc' (must be 0..65535)");
    assertThatThrownBy(() -> HostPort.parse("h:")).hasMessage("bad port '' (must be 0..65535)");
    assertThatThrownBy(() -> new HostPort("h", -1)).hasMessage("bad port -1 (must be 0..65535)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "9001",
        "",
        "::1:9001",
        "[::1]9001",
        "[::1",
        "[nothost]:1",
        ":9001",
        "999.1.1.1:1",
        "1.2.3:4",
        "bad host:1",
        "-x.org:1",
        "[1.2.3.4]:5",
        "[::1%eth0]:1"
      })
  void rejectsMalformedAddresses(String text) {
    assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unbracketedIpv6GetsAHint() {
    assertThatThrownBy(() -> HostPort.parse("::1:9001")).hasMessageContaining("[::1]:9001");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "127.255.0.9",
        "::1",
        "0:0:0:0:0:0:0:1",
        "localhost",
        "LocalHost",
        "::ffff:127.0.0.1"
      })
  void loopbackHosts(String host) {
    assertThat(new HostPort(host, 1).isLoopback()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.0.0.1",
        "128.0.0.1",
        "::",
        "::2",
        "example.org",
        "localhost.example.org"
      })
  void nonLoopbackHosts(String host) {
    assertThat(new HostPort(host, 1).isLoopback()).isFalse();
  }

  @Test
  void wildcardIsRecognisedInBothFamilies() {
    assertThat(new HostPort("0.0.0.0", 1).isWildcard()).isTrue();
    assertThat(new HostPort("::", 1).isWildcard()).isTrue();
    assertThat(new HostPort("0:0:0:0:0:0:0:0", 1).isWildcard()).isTrue();
    assertThat(new HostPort("127.0.0.1", 1).isWildcard()).isFalse();
    assertThat(new HostPort("example.org", 1).isWildcard()).isFalse();
  }

  @Property
  void ipv4RoundTrips(
      @ForAll @IntRange(max = 255) int a,
      @ForAll @IntRange(max = 255) int b,
      @ForAll @IntRange(max = 255) int c,
      @ForAll @IntRange(max = 255) int d,
      @ForAll @IntRange(max = 65535) int port) {
    HostPort hp = new HostPort(a + "." + b + "." + c + "." + d, port);
    assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
  }

  @Property
  void fullIpv6RoundTrips(
      @ForAll @IntRange(max = 0xffff) int g1,
      @ForAll @IntRange(max = 0xffff) int g2,
      @ForAll @IntRange(max = 0xffff) int g8,
      @ForAll @IntRange(max = 65535) int port) {
    String host = String.format("%x:%x:0:0:0:0:0:%x", g1, g2, g8);
    HostPort hp = new HostPort(host, port);
    assertThat(hp.toString()).isEqualTo("[" + host + "]:" + port);
    assertThat(HostPort.parse(hp.toString())).isEqualTo(hp);
  }
}
