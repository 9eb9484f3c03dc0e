package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PeerExchangeMessageTest {

  private static byte[] id(int b) {
    byte[] id = new byte[32];
    Arrays.fill(id, (byte) b);
    return id;
  }

  private static PeerExchangeMessage.Entry v4(int idByte, int last, int port) {
    return new PeerExchangeMessage.Entry(
        id(idByte), new byte[] {(byte) 203, 0, 113, (byte) last}, port);
  }

  @Test
  void requestAndResponseRoundTripByteForByte() throws Exception {
    PeerExchangeMessage request = new PeerExchangeMessage.Request(32);
    assertThat(request.encode()).containsExactly(1, 32);
    assertThat(PeerExchangeMessage.decode(request.encode())).isEqualTo(request);

    byte[] v6 = new byte[16];
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[15] = 7;
    PeerExchangeMessage response =
        new PeerExchangeMessage.Response(
            List.of(v4(1, 9, 9001), new PeerExchangeMessage.Entry(id(2), v6, 65535)));
    byte[] encoded = response.encode();
    assertThat(encoded.length).isEqualTo(2 + (32 + 1 + 4 + 2) + (32 + 1 + 16 + 2));
    assertThat(PeerExchangeMessage.decode(encoded)).isEqualTo(response);
  }

  @Test
  void aFullResponseFitsTheBoundAndOneMoreEntryDoesNotDecode() throws Exception {
    List<PeerExchangeMessage.Entry> entries = new ArrayList<>();
    for (int i = 0; i < PeerExchangeMessage.MAX_ENTRIES; i++) {
      entries.add(v4(i, i, 1000 + i));
    }
    byte[] full = new PeerExchangeMessage.Response(entries).encode();
    assertThat(PeerExchangeMessage.decode(full)).isInstanceOf(PeerExchangeMessage.Response.class);

    byte[] over = Arrays.copyOf(full, full.length + 39);
    over[1] = (byte) (PeerExchangeMessage.MAX_ENTRIES + 1);
    assertThatThrownBy(() -> PeerExchangeMessage.decode(over))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("pex.count");
    assertThatThrownBy(() -> PeerExchangeMessage.decode(new byte[1 << 20]))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("over");
  }

  @Test
  void malformedMessagesAreRejectedWithTheField() {
    byte[] one = new PeerExchangeMessage.Response(List.of(v4(1, 1, 9001))).encode();
    assertRejected(new byte[0], "pex.kind");
    assertRejected(new byte[] {9}, "pex.kind: unknown 9");
    assertRejected(new byte[] {1, 0}, "pex.wanted");
    assertRejected(new byte[] {1, 65}, "pex.wanted");
    assertRejected(new byte[] {1, 8, 0}, "trailing");
    assertRejected(Arrays.copyOf(one, one.length - 1), "pex.entry.port");
    assertRejected(Arrays.copyOf(one, one.length + 1), "trailing");

    byte[] badFamily = one.clone();
    badFamily[2 + 32] = 5;
    assertRejected(badFamily, "pex.entry.family");
    byte[] portZero = one.clone();
    portZero[one.length - 1] = 0;
    portZero[one.length - 2] = 0;
    assertRejected(portZero, "pex.entry.port: 0");

    PeerExchangeMessage.Entry e = v4(3, 3, 9001);
    byte[] twice = new PeerExchangeMessage.Response(List.of(e, v4(3, 4, 9002))).encode();
    assertRejected(twice, "repeated");

    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[15] = 1;
    byte[] v4mapped =
        new PeerExchangeMessage.Response(List.of(new PeerExchangeMessage.Entry(id(4), mapped, 1)))
            .encode();
    assertRejected(v4mapped, "IPv4-mapped");
  }

  private static void assertRejected(byte[] bytes, String why) {
    assertThatThrownBy(() -> PeerExchangeMessage.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining(why);
  }
}
