package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** Operator bans by id and by IP/CIDR: matching, ends, lifting, the cap. */
class OperatorBansTest {

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final OperatorBans bans = new OperatorBans(clock);

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal); // literals only: no lookup
  }

  @Test
  void rangesMatchTheirAddressesOnlyAndAreShownCanonically() throws Exception {
    IpRange v4 = IpRange.parse("10.1.2.3/16");
    assertThat(v4.text()).isEqualTo("10.1.0.0/16");
    assertThat(v4.contains(ip("10.1.255.7"))).isTrue();
    assertThat(v4.contains(ip("10.2.0.1"))).isFalse();
    assertThat(v4.contains(ip("::1"))).as("another family").isFalse();
    assertThat(IpRange.parse("203.0.113.7").text()).isEqualTo("203.0.113.7");
    IpRange v6 = IpRange.parse("2001:db8::/32");
    assertThat(v6.contains(ip("2001:db8:ffff::1"))).isTrue();
    assertThat(v6.contains(ip("2001:db9::1"))).isFalse();
    assertThat(IpRange.parse("0.0.0.0/0").contains(ip("192.0.2.1"))).isTrue();
    assertThatThrownBy(() -> IpRange.parse("10.0.0.0/33")).hasMessageContaining("prefix");
    assertThatThrownBy(() -> IpRange.parse("example.com")).hasMessageContaining("not an IP");
  }

  @Test
  void aBanHoldsUntilItsEndAndCanBeLiftedOnce() throws Exception {
    long until = clock.getAsLong() + 1_000;
    assertThat(bans.add(new OperatorBans.Ban("peer1", null, until, "spam"))).isTrue();
    assertThat(bans.add(new OperatorBans.Ban(null, IpRange.parse("192.0.2.0/24"), until, "range")))
        .isTrue();
    assertThat(bans.ofPeer("peer1")).isPresent();
    assertThat(bans.ofAddress(ip("192.0.2.9"))).map(OperatorBans.Ban::reason).contains("range");
    assertThat(bans.ofAddress(ip("192.0.3.9"))).isEmpty();
    assertThat(bans.list()).hasSize(2);

    clock.set(until);
    assertThat(bans.ofPeer("peer1")).as("ended").isEmpty();
    assertThat(bans.ofAddress(ip("192.0.2.9"))).isEmpty();
    assertThat(bans.list()).isEmpty();
    assertThat(bans.removePeer("peer1")).as("nothing left to lift").isFalse();

    bans.add(new OperatorBans.Ban("peer2", null, Long.MAX_VALUE, "for ever"));
    assertThat(bans.removePeer("peer2")).isTrue();
    assertThat(bans.removePeer("peer2")).isFalse();
    assertThat(bans.ofPeer("peer2")).isEmpty();
  }

  @Test
  void pastTheCapANewBanIsRefusedAndNoOldOneIsForgotten() {
    for (int i = 0; i < OperatorBans.MAX_BANS; i++) {
      assertThat(bans.add(new OperatorBans.Ban("p" + i, null, Long.MAX_VALUE, ""))).isTrue();
    }
    assertThat(bans.add(new OperatorBans.Ban("one more", null, Long.MAX_VALUE, ""))).isFalse();
    assertThat(bans.add(new OperatorBans.Ban("p0", null, Long.MAX_VALUE, "replaced")))
        .as("a replacement fits")
        .isTrue();
    assertThat(bans.ofPeer("p0")).map(OperatorBans.Ban::reason).contains("replaced");
    assertThat(bans.list()).hasSize(OperatorBans.MAX_BANS);
  }
}
