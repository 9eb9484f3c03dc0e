package network.canopy.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpBlocklistTest {

  private static boolean banned(List<String> rules, String address) throws Exception {
    return IpBlocklist.parse(rules).banned(InetAddress.getByName(address));
  }

  /** An Inet6Address holding an IPv4-mapped address, as a dual-stack socket might report it. */
  private static InetAddress mapped(String ipv4) throws Exception {
    byte[] v4 = InetAddress.getByName(ipv4).getAddress();
    byte[] v6 = new byte[16];
    v6[10] = (byte) 0xff;
    v6[11] = (byte) 0xff;
    System.arraycopy(v4, 0, v6, 12, 4);
    return Inet6Address.getByAddress(null, v6, -1);
  }

  @Test
  void emptyListBansNothing() throws Exception {
    IpBlocklist none = IpBlocklist.parse(List.of());
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.banned(InetAddress.getByName("127.0.0.1"))).isFalse();
    assertThat(none.banned(InetAddress.getByName("::1"))).isFalse();
  }

  @Test
  void ipv4AddressesAndPrefixes() throws Exception {
    assertThat(banned(List.of("127.0.0.1"), "127.0.0.1")).isTrue();
    assertThat(banned(List.of("127.0.0.1"), "127.0.0.2")).isFalse();
    assertThat(banned(List.of("127.0.0.1/32"), "127.0.0.1")).isTrue();
    assertThat(banned(List.of("127.0.0.1/32"), "127.0.0.2")).isFalse();
    assertThat(banned(List.of("127.0.0.0/8"), "127.255.1.2")).isTrue();
    assertThat(banned(List.of("127.0.0.0/8"), "128.0.0.1")).isFalse();
    assertThat(banned(List.of("10.1.2.3/8"), "10.200.0.1")).as("host bits ignored").isTrue();
    assertThat(banned(List.of("192.168.4.0/23"), "192.168.5.255")).isTrue();
    assertThat(banned(List.of("192.168.4.0/23"), "192.168.6.0")).isFalse();
  }

  @Test
  void slashZeroCoversItsWholeFamilyOnly() throws Exception {
    assertThat(banned(List.of("0.0.0.0/0"), "8.8.8.8")).isTrue();
    assertThat(banned(List.of("0.0.0.0/0"), "255.255.255.255")).isTrue();
    assertThat(banned(List.of("0.0.0.0/0"), "::1")).isFalse();
    assertThat(banned(List.of("::/0"), "2001:db8::1")).isTrue();
    assertThat(banned(List.of("::/0"), "::1")).isTrue();
    assertThat(banned(List.of("::/0"), "127.0.0.1")).as("an IPv6 rule never bans IPv4").isFalse();
  }

  @Test
  void ipv6AddressesAndPrefixes() throws Exception {
    assertThat(banned(List.of("2001:db8::1"), "2001:db8::1")).isTrue();
    assertThat(banned(List.of("2001:db8::1/128"), "2001:db8::1")).isTrue();
    assertThat(banned(List.of("2001:db8::1/128"), "2001:db8::2")).isFalse();
    assertThat(banned(List.of("2001:db8::/32"), "2001:db8:ffff::1")).isTrue();
    assertThat(banned(List.of("2001:db8::/32"), "2001:db9::1")).isFalse();
    assertThat(banned(List.of("2001:db8::/32"), "127.0.0.1")).isFalse();
    // Prefixes that end inside the low 64 bits.
    assertThat(banned(List.of("2001:db8::ab00/120"), "2001:db8::abff")).isTrue();
    assertThat(banned(List.of("2001:db8::ab00/120"), "2001:db8::ac00")).isFalse();
    assertThat(banned(List.of("2001:db8:0:0:8000::/65"), "2001:db8::8000:0:0:1")).isTrue();
    assertThat(banned(List.of("2001:db8:0:0:8000::/65"), "2001:db8::7fff:0:0:1")).isFalse();
  }

  @Test
  void ipv4RulesMatchIpv4MappedAddresses() throws Exception {
    IpBlocklist list = IpBlocklist.parse(List.of("10.0.0.0/8"));
    assertThat(list.banned(mapped("10.1.2.3"))).isTrue();
    assertThat(list.banned(mapped("11.1.2.3"))).isFalse();
  }

  @Test
  void mappedRulesAreIpv4Rules() throws Exception {
    assertThat(banned(List.of("::ffff:10.0.0.0/104"), "10.9.8.7")).isTrue();
    assertThat(banned(List.of("::ffff:10.0.0.0/104"), "11.0.0.1")).isFalse();
    assertThat(banned(List.of("::ffff:127.0.0.1"), "127.0.0.1")).isTrue();
    assertThat(banned(List.of("::ffff:7f00:1/128"), "127.0.0.1")).isTrue();
    assertThat(banned(List.of("::ffff:0:0/96"), "203.0.113.9")).as("all of IPv4").isTrue();
    assertThat(IpBlocklist.parse(List.of("::ffff:10.0.0.0/104")).banned(mapped("10.0.0.1")))
        .isTrue();
  }

  @Test
  void severalRulesOfMixedLengths() throws Exception {
    List<String> rules = List.of("203.0.113.7", "198.51.100.0/24", "2001:db8::/48", "::1");
    assertThat(banned(rules, "203.0.113.7")).isTrue();
    assertThat(banned(rules, "198.51.100.200")).isTrue();
    assertThat(banned(rules, "2001:db8:0:1::5")).isTrue();
    assertThat(banned(rules, "::1")).isTrue();
    assertThat(banned(rules, "203.0.113.8")).isFalse();
    assertThat(banned(rules, "2001:db8:1::5")).isFalse();
  }

  @Test
  void rejectsWhatIsNotAnIpOrCidr() {
    for (String bad :
        List.of(
            "example.com",
            "10.0.0.0/33",
            "2001:db8::/129",
            "10.0.0.0/",
            "10.0.0.0/-1",
            "1.2.3",
            "256.1.1.1",
            "999.0.0.0/8",
            "fe80::1%eth0",
            "1:2:3",
            "")) {
      assertThatThrownBy(() -> IpBlocklist.parse(List.of(bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + bad + "'");
    }
  }
}
