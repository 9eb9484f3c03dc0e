package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The control message layouts of docs/PROTOCOL.md §9, byte for byte, and what is refused. */
class ControlMessageTest {

  private static byte[] encode(ControlMessage m) {
    byte[] out = new byte[m.encodedLength()];
    assertThat(m.encode(out, 0)).isEqualTo(out.length);
    return out;
  }

  @Test
  void pingAndPongAreTypeThenBigEndianNonce() throws Exception {
    byte[] ping = encode(new ControlMessage.Ping(0x0102030405060708L));
    assertThat(ping).containsExactly(1, 1, 2, 3, 4, 5, 6, 7, 8);
    byte[] pong = encode(new ControlMessage.Pong(-1L));
    assertThat(pong[0]).isEqualTo((byte) 2);
    assertThat(ControlMessage.decode(ping)).isEqualTo(new ControlMessage.Ping(0x0102030405060708L));
    assertThat(ControlMessage.decode(pong)).isEqualTo(new ControlMessage.Pong(-1L));
  }

  @Test
  void goodbyeIsTypeCodeAndStr8Reason() throws Exception {
    byte[] bye = encode(new ControlMessage.Goodbye(ControlMessage.GOODBYE_NORMAL, "bye"));
    assertThat(bye).containsExactly(3, 0, 3, 'b', 'y', 'e');
    assertThat(ControlMessage.decode(bye)).isEqualTo(new ControlMessage.Goodbye(0, "bye"));
  }

  @Test
  void longReasonIsCutTo255BytesOnACharacterBoundary() throws Exception {
    String reason = "é".repeat(200); // 400 UTF-8 bytes
    ControlMessage.Goodbye bye = new ControlMessage.Goodbye(1, reason);
    assertThat(bye.reason()).isEqualTo("é".repeat(127));
    byte[] encoded = encode(bye);
    assertThat(encoded.length)
        .isEqualTo(3 + 254)
        .isLessThanOrEqualTo(PacketFormat.MAX_CONTROL_MESSAGE);
    assertThat(ControlMessage.decode(encoded)).isEqualTo(bye);
  }

  @Test
  void unknownTypeWrongLengthAndBadUtf8AreRefused() {
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {9}))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(new byte[0]))
        .isInstanceOf(WireFormatException.class);
    byte[] ping = encode(new ControlMessage.Ping(5));
    assertThatThrownBy(() -> ControlMessage.decode(Arrays.copyOf(ping, 8)))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(Arrays.copyOf(ping, 10)))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {3, 0, 1, (byte) 0xff}))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void observedAddressIsTypeFamilyIpAndPort() throws Exception {
    byte[] v4 =
        encode(new ControlMessage.ObservedAddress(new byte[] {(byte) 198, 51, 100, 7}, 40000));
    assertThat(v4).containsExactly(0x40, 4, 198, 51, 100, 7, 0x9c, 0x40);
    assertThat(ControlMessage.decode(v4))
        .isEqualTo(new ControlMessage.ObservedAddress(new byte[] {(byte) 198, 51, 100, 7}, 40000));
    byte[] ip6 = new byte[16];
    ip6[0] = 0x20;
    ip6[1] = 0x01;
    byte[] v6 = encode(new ControlMessage.ObservedAddress(ip6, 1));
    assertThat(v6).hasSize(20);
    assertThat(v6[1]).isEqualTo((byte) 6);
    assertThat(ControlMessage.decode(v6)).isEqualTo(new ControlMessage.ObservedAddress(ip6, 1));

    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {0x40, 5, 1, 2, 3, 4, 0, 1}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("family");
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {0x40, 4, 1, 2, 3, 4, 0, 0}))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("port: 0");
    assertThatThrownBy(() -> ControlMessage.decode(Arrays.copyOf(v4, 7)))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(Arrays.copyOf(v4, 9)))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("trailing");
    byte[] mapped = new byte[20];
    mapped[0] = 0x40;
    mapped[1] = 6;
    mapped[12] = (byte) 0xff;
    mapped[13] = (byte) 0xff;
    mapped[19] = 1;
    assertThatThrownBy(() -> ControlMessage.decode(mapped))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("IPv4-mapped");
  }

  @Test
  void lazyPushMessagesAreTypeTopicCountAndIds() throws Exception {
    byte[] id = new byte[32];
    id[0] = 7;
    id[31] = 9;
    byte[] ihave = encode(new ControlMessage.LazyPush(0x30, 4, new byte[][] {id}));
    assertThat(ihave).hasSize(35).startsWith(0x30, 4, 1, 7).endsWith(9);
    ControlMessage.LazyPush decoded = (ControlMessage.LazyPush) ControlMessage.decode(ihave);
    assertThat(decoded.type()).isEqualTo(0x30);
    assertThat(decoded.topicId()).isEqualTo(4);
    assertThat(decoded.ids()).hasDimensions(1, 32);
    assertThat(decoded.ids()[0]).isEqualTo(id);
    assertThat(encode(new ControlMessage.LazyPush(0x32, 2, new byte[0][])))
        .containsExactly(0x32, 2, 0);
    byte[][] fifteen = new byte[15][32];
    assertThat(encode(new ControlMessage.LazyPush(0x31, 2, fifteen)).length)
        .isEqualTo(483)
        .isLessThanOrEqualTo(PacketFormat.MAX_CONTROL_MESSAGE);
  }

  @Test
  void lazyPushCountsOutOfRangeAndShortIdsAreRefused() {
    // IHAVE with no id, PRUNE with an id, 16 ids, an id cut short
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {0x30, 1, 0}))
        .isInstanceOf(WireFormatException.class);
    byte[] pruneWithId = new byte[3 + 32];
    pruneWithId[0] = 0x32;
    pruneWithId[2] = 1;
    assertThatThrownBy(() -> ControlMessage.decode(pruneWithId))
        .isInstanceOf(WireFormatException.class);
    byte[] sixteen = new byte[3 + 16 * 32];
    sixteen[0] = 0x31;
    sixteen[2] = 16;
    assertThatThrownBy(() -> ControlMessage.decode(sixteen))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {0x30, 1, 1, 5, 5}))
        .isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ControlMessage.decode(new byte[] {0x33, 1, 0}))
        .isInstanceOf(WireFormatException.class);
  }
}
