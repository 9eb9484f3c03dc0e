package network.canopy.p2p.wire;

import static network.canopy.p2p.wire.Packets.E;
import static network.canopy.p2p.wire.Packets.S;
import static network.canopy.p2p.wire.Packets.bytes;
import static network.canopy.p2p.wire.Packets.continuation;
import static network.canopy.p2p.wire.Packets.frame;
import static network.canopy.p2p.wire.Packets.start;
import static network.canopy.p2p.wire.Packets.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The DIRECT packet flag of docs/PROTOCOL.md §15, with and without capability direct/1. */
class DirectFlagTest {

  private static final int D = PacketFormat.FLAG_DIRECT;
  private final List<String> received = new ArrayList<>();

  /** A decoder for topics 1, 2, 4 (and 0, 255); {@code direct}: the connection has direct/1. */
  private PacketDecoder decoder(boolean direct) {
    long[] limits = PacketDecoderTest.limits();
    limits[4] = 100;
    return new PacketDecoder(
        limits,
        direct,
        new PacketDecoder.MessageSink() {
          @Override
          public void onMessage(int topicId, byte[] message) {
            throw new AssertionError("the decoder must say whether a message was direct");
          }

          @Override
          public void onMessage(int topicId, byte[] message, boolean isDirect) {
            received.add(topicId + ":" + message.length + (isDirect ? ":direct" : ""));
          }
        });
  }

  private static PacketError refusal(PacketDecoder decoder, byte[] plaintext) {
    return assertThrows(
            PacketException.class, () -> decoder.decodeFrame(plaintext, 0, plaintext.length))
        .reason();
  }

  @Test
  void theDocumentedExampleIsADirectMessage() throws Exception {
    byte[] example = {0x04, 0x07, 0, 0, 0, 2, 0, 2, 'h', 'i'};
    decoder(true).decodeFrame(example, 0, example.length);
    assertThat(received).containsExactly("4:2:direct");
  }

  @Test
  void theFlagOnTheStartPacketMarksTheWholeMessageAndOnlyIt() throws Exception {
    PacketDecoder decoder = decoder(true);
    byte[] big = bytes(300, 1);
    byte[] first =
        frame(start(1, S | D, 300, Arrays.copyOfRange(big, 0, 100)), whole(2, bytes(3, 2)));
    byte[] rest =
        frame(continuation(1, E, Arrays.copyOfRange(big, 100, 300)), whole(1, bytes(5, 3)));
    decoder.decodeFrame(first, 0, first.length);
    decoder.decodeFrame(rest, 0, rest.length);
    assertThat(received).containsExactly("2:3", "1:300:direct", "1:5");
  }

  @Test
  void withoutTheCapabilityTheFlagIsAnUnknownBit() {
    assertThat(refusal(decoder(false), frame(start(1, S | E | D, 1, new byte[] {1}))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
    assertThat(received).isEmpty();
  }

  @Test
  void theFlagIsMalformedOffAStartPacketAndOnControlOrPeerExchange() {
    PacketDecoder onContinuation = decoder(true);
    byte[] frame = frame(start(1, S, 10, bytes(4, 1)), continuation(1, E | D, bytes(6, 2)));
    assertThat(refusal(onContinuation, frame)).isEqualTo(PacketError.MALFORMED_PACKET);
    assertThat(refusal(decoder(true), frame(start(0, S | E | D, 1, new byte[] {1}))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
    assertThat(refusal(decoder(true), frame(start(255, S | E | D, 1, new byte[] {1}))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
    assertThat(received).isEmpty();
  }

  @Test
  void theHeaderWriterPutsTheFlagOnlyOnAStartPacket() {
    byte[] out = new byte[16];
    PacketFormat.writeHeader(out, 0, 4, S | E | D, 2, 2);
    assertThat(out[1]).isEqualTo((byte) 0x07);
    assertThrows(
        IllegalArgumentException.class, () -> PacketFormat.writeHeader(out, 0, 4, E | D, 0, 2));
  }
}
