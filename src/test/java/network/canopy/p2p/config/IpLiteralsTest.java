package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpLiteralsTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "::1",
        "1::",
        "2001:db8::1",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6::8",
        "::ffff:1.2.3.4",
        "64:ff9b::192.0.2.33",
        "FE80::ABCD",
        "1:2:3:4:5:6:1.2.3.4"
      })
  void validIpv6(String text) {
    assertThat(IpLiterals.isIpv6(text)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":",
        ":::",
        "1:::2",
        "1::2::3",
        "1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::8",
        "12345::",
        "g::1",
        "1.2.3.4::",
        "::1.2.3",
        "::1.2.3.4:5",
        ":1",
        "1:",
        "fe80::1%eth0",
        "1:2:3:4:5:6:7:1.2.3.4"
      })
  void invalidIpv6(String text) {
    assertThat(IpLiterals.isIpv6(text)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.1",
        "10.0.0.0/8",
        "0.0.0.0/0",
        "1.2.3.4/32",
        "2001:db8::/32",
        "::/0",
        "::1/128",
        "fe80::1"
      })
  void validIpsAndCidrs(String text) {
    assertThat(IpLiterals.ipOrCidrProblem(text)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "2001:db8::/129",
        "10.0.0.0/",
        "10.0.0.0/-1",
        "10.0.0.0/a",
        "10.0.0/8",
        "256.0.0.0/8",
        "example.org",
        "10.0.0.0/8/8",
        "/8",
        "1.2.3.4 "
      })
  void invalidIpsAndCidrs(String text) {
    assertThat(IpLiterals.ipOrCidrProblem(text)).isNotNull();
  }
}
