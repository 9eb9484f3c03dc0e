package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerAddressTest {
  static final String ID = "0123456789abcdef".repeat(4);

  @Test
  void parsesAndRoundTripsIpv4AndIpv6() {
    PeerAddress v4 = PeerAddress.parse(ID + "@10.0.0.2:9001");
    assertThat(v4.id()).isEqualTo(ID);
    assertThat(v4.address()).isEqualTo(new HostPort("10.0.0.2", 9001));
    assertThat(v4.toString()).isEqualTo(ID + "@10.0.0.2:9001");

    PeerAddress v6 = PeerAddress.parse(ID + "@[2001:db8::7]:9002");
    assertThat(v6.address()).isEqualTo(new HostPort("2001:db8::7", 9002));
    assertThat(v6.toString()).isEqualTo(ID + "@[2001:db8::7]:9002");
    assertThat(PeerAddress.parse(v6.toString())).isEqualTo(v6);
  }

  @Test
  void upperCaseIdsAreNormalisedToLowerCase() {
    PeerAddress p = PeerAddress.parse(ID.toUpperCase() + "@h:1");
    assertThat(p.id()).isEqualTo(ID);
    assertThat(p).isEqualTo(PeerAddress.parse(ID + "@h:1"));
  }

  @Test
  void reportsTheShapeAndTheReason() {
    assertThatThrownBy(() -> PeerAddress.parse("xyz"))
        .hasMessage("cannot parse 'xyz' as ID@HOST:PORT");
    assertThatThrownBy(() -> PeerAddress.parse("abc@h:1"))
        .hasMessage(
            "cannot parse 'abc@h:1' as ID@HOST:PORT: 'abc' is not a peer id (64 hex characters)");
    assertThatThrownBy(() -> PeerAddress.parse(ID + "@h:70000"))
        .hasMessageEndingWith(": bad port 70000 (must be 0..65535)");
    assertThatThrownBy(() -> PeerAddress.parse(ID + "@h:0"))
        .hasMessageEndingWith(": port 0 cannot be dialled");
    assertThatThrownBy(() -> PeerAddress.parse(ID + "x@h:1"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerAddress.parse(ID.replace('a', 'g') + "@h:1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void isPeerIdChecksLengthAndHex() {
    assertThat(PeerAddress.isPeerId(ID)).isTrue();
    assertThat(PeerAddress.isPeerId(ID.substring(1))).isFalse();
    assertThat(PeerAddress.isPeerId(null)).isFalse();
  }
}
