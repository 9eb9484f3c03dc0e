package network.canopy.p2p.wire;

import static network.canopy.p2p.wire.Packets.E;
import static network.canopy.p2p.wire.Packets.S;
import static network.canopy.p2p.wire.Packets.bytes;
import static network.canopy.p2p.wire.Packets.continuation;
import static network.canopy.p2p.wire.Packets.frame;
import static network.canopy.p2p.wire.Packets.start;
import static network.canopy.p2p.wire.Packets.whole;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The receiver rules of docs/PROTOCOL.md §10, one by one, on hand-built frame plaintexts. */
class PacketDecoderTest {

  private static final long LIMIT = 1 << 20;
  private final List<Object[]> received = new ArrayList<>();
  private final PacketDecoder decoder =
      new PacketDecoder(limits(), (topic, message) -> received.add(new Object[] {topic, message}));

  /** Topics 1 and 2 known with 1 MiB, control 512, peer exchange 1 MiB, topic 3 limited to 100. */
  static long[] limits() {
    long[] limits = new long[256];
    Arrays.fill(limits, -1);
    limits[0] = PacketFormat.MAX_CONTROL_MESSAGE;
    limits[1] = LIMIT;
    limits[2] = LIMIT;
    limits[3] = 100;
    limits[255] = PacketFormat.MAX_PEER_EXCHANGE_MESSAGE;
    return limits;
  }

  private void decode(byte[] plaintext) throws PacketException {
    decoder.decodeFrame(plaintext, 0, plaintext.length);
  }

  private PacketError refusal(byte[] plaintext) {
    PacketException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            PacketException.class, () -> decode(plaintext));
    assertThat(decoder.failure()).isEqualTo(e.reason());
    return e.reason();
  }

  @Test
  void singlePacketMessagesOfSeveralTopicsShareAFrame() throws Exception {
    decode(
        frame(
            whole(1, bytes(5, 1)),
            whole(255, bytes(3, 2)),
            whole(2, new byte[0]),
            whole(1, bytes(1, 3))));
    assertThat(received).hasSize(4);
    assertThat(received.get(0)[0]).isEqualTo(1);
    assertThat((byte[]) received.get(0)[1]).isEqualTo(bytes(5, 1));
    assertThat(received.get(1)[0]).isEqualTo(255);
    assertThat((byte[]) received.get(2)[1]).isEmpty();
    assertThat((byte[]) received.get(3)[1]).isEqualTo(bytes(1, 3));
    assertThat(decoder.heldBytes()).isZero();
  }

  @Test
  void emptyFrameCarriesNothingAndIsValid() throws Exception {
    decode(new byte[0]);
    assertThat(received).isEmpty();
    assertThat(decoder.isFailed()).isFalse();
  }

  @Test
  void messageCutIntoPacketsAcrossFramesIsReassembledInterleavedWithOthers() throws Exception {
    byte[] message = bytes(10_000, 7);
    decode(frame(start(1, S, 10_000, Arrays.copyOfRange(message, 0, 3000)), whole(2, bytes(4, 9))));
    assertThat(decoder.heldBytes()).isBetween(3000L, 6000L);
    decode(frame(continuation(1, 0, Arrays.copyOfRange(message, 3000, 3001))));
    decode(
        frame(
            continuation(1, 0, Arrays.copyOfRange(message, 3001, 9000)),
            continuation(1, E, Arrays.copyOfRange(message, 9000, 10_000))));
    assertThat(received).hasSize(2);
    assertThat(received.get(0)[0]).isEqualTo(2);
    assertThat((byte[]) received.get(1)[1]).isEqualTo(message);
    assertThat(decoder.heldBytes()).isZero();
    assertThat(decoder.peakHeldBytes()).isEqualTo(10_000);
  }

  @Test
  void emptyEndPacketMayCloseAMessageWhoseDataIsAllThere() throws Exception {
    decode(frame(start(1, S, 2, bytes(2, 0)), continuation(1, E, new byte[0])));
    assertThat((byte[]) received.get(0)[1]).isEqualTo(bytes(2, 0));
  }

  @Test
  void hugeClaimIsRefusedBeforeAnyByteIsHeld() {
    assertThat(refusal(frame(start(1, S, 1L << 30, bytes(10, 0)))))
        .isEqualTo(PacketError.MESSAGE_TOO_LARGE);
    assertThat(decoder.peakHeldBytes()).isZero();
  }

  @Test
  void singlePacketMessageOverTheLimitIsTooLarge() throws Exception {
    decode(frame(whole(3, bytes(100, 0))));
    assertThat(refusal(frame(start(3, S | E, 101, bytes(101, 0)))))
        .isEqualTo(PacketError.MESSAGE_TOO_LARGE);
    assertThat(received).hasSize(1);
  }

  @Test
  void claimWithinTheLimitIsNotPreAllocated() throws Exception {
    long[] limits = limits();
    limits[1] = PacketFormat.MAX_MESSAGE_LENGTH;
    PacketDecoder big = new PacketDecoder(limits, (t, m) -> {});
    byte[] f = frame(start(1, S, 1L << 30, bytes(10, 0)));
    big.decodeFrame(f, 0, f.length);
    assertThat(big.heldBytes()).isBetween(10L, 20L);
  }

  @Test
  void aSinkWithRoomForTheWholeClaimGetsOneArrayOfItsLengthAtOnce() throws Exception {
    List<Long> asked = new ArrayList<>();
    List<byte[]> messages = new ArrayList<>();
    PacketDecoder sized =
        new PacketDecoder(
            limits(),
            new PacketDecoder.MessageSink() {
              @Override
              public void onMessage(int topicId, byte[] message) {
                messages.add(message);
              }

              @Override
              public boolean tryHoldWhole(long bytes) {
                asked.add(bytes);
                return bytes <= 1000;
              }

              @Override
              public boolean tryHold(long bytes) {
                asked.add(-bytes); // growth as data arrives, told apart by its sign
                return true;
              }
            });
    byte[] f = frame(start(1, S, 1000, bytes(10, 1)));
    sized.decodeFrame(f, 0, f.length);
    assertThat(sized.heldBytes()).as("the whole announced message").isEqualTo(1000);
    byte[] rest = frame(continuation(1, E, bytes(990, 2)));
    sized.decodeFrame(rest, 0, rest.length);
    assertThat(asked).as("asked once, never again as it grew").containsExactly(1000L);
    assertThat(messages.get(0)).hasSize(1000);
    assertThat(Arrays.copyOfRange(messages.get(0), 10, 1000)).isEqualTo(bytes(990, 2));

    asked.clear();
    byte[] big = frame(start(2, S, 5000, bytes(10, 3)));
    sized.decodeFrame(big, 0, big.length);
    assertThat(asked).as("refused whole: grows with what arrived").containsExactly(5000L, -10L);
    assertThat(sized.heldBytes()).isEqualTo(10);
  }

  @Test
  void limitsPastAJavaArrayAreCappedSoTheLargestWireClaimIsRefused() {
    long[] limits = limits();
    limits[1] = Long.MAX_VALUE;
    PacketDecoder big = new PacketDecoder(limits, (t, m) -> {});
    byte[] f = frame(start(1, S, 0xFFFF_FFFFL, bytes(1, 0)));
    assertThatThrownBy(() -> big.decodeFrame(f, 0, f.length))
        .isInstanceOf(PacketException.class)
        .extracting(e -> ((PacketException) e).reason())
        .isEqualTo(PacketError.MESSAGE_TOO_LARGE);
  }

  @Test
  void controlMessagesHaveTheirFixedLimit() {
    assertThat(refusal(frame(start(0, S | E, 513, bytes(513, 0)))))
        .isEqualTo(PacketError.MESSAGE_TOO_LARGE);
  }

  @Test
  void topicNotInTheTableIsUnknown() {
    assertThat(refusal(frame(whole(1, bytes(1, 0)), whole(4, bytes(1, 0)))))
        .isEqualTo(PacketError.UNKNOWN_TOPIC);
    assertThat(received).hasSize(1); // what came before the bad packet was delivered
  }

  @Test
  void reservedTopicsOtherThan255AreUnknown() {
    assertThat(refusal(frame(whole(240, bytes(1, 0))))).isEqualTo(PacketError.UNKNOWN_TOPIC);
  }

  @Test
  void unknownFlagBitsAreMalformed() {
    assertThat(refusal(frame(start(1, S | E | 0x04, 1, bytes(1, 0)))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
    PacketDecoder other = new PacketDecoder(limits(), (t, m) -> {});
    byte[] f = frame(start(1, S | 0x80, 1, bytes(1, 0)));
    assertThatThrownBy(() -> other.decodeFrame(f, 0, f.length))
        .hasMessageContaining("MALFORMED_PACKET");
  }

  @Test
  void continuationWithoutAStartIsMalformed() {
    assertThat(refusal(frame(continuation(1, 0, bytes(3, 0)))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void endWithoutAStartIsMalformed() {
    assertThat(refusal(frame(continuation(1, E, bytes(3, 0)))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void startWhileAMessageIsInProgressIsMalformed() {
    assertThat(refusal(frame(start(1, S, 10, bytes(3, 0)), start(1, S, 10, bytes(3, 0)))))
        .isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void dataLengthPastTheFrameEndIsMalformed() {
    byte[] f = frame(start(1, S, 100, bytes(10, 0)));
    f[7] = 11; // data_length 11 with 10 bytes left
    assertThat(refusal(f)).isEqualTo(PacketError.MALFORMED_PACKET);
    assertThat(decoder.peakHeldBytes()).isZero();
  }

  @Test
  void headerCutByTheFrameEndIsMalformed() {
    assertThat(refusal(new byte[] {1})).isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void startHeaderCutByTheFrameEndIsMalformed() {
    assertThat(refusal(frame(whole(1, bytes(2, 0)), new byte[] {1, S, 0, 0, 0})))
        .isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void continuationHeaderCutByTheFrameEndIsMalformed() {
    assertThat(refusal(frame(start(1, S, 10, bytes(2, 0)), new byte[] {1, 0, 0})))
        .isEqualTo(PacketError.MALFORMED_PACKET);
  }

  @Test
  void moreDataThanAnnouncedIsALengthMismatch() {
    assertThat(refusal(frame(start(1, S, 4, bytes(3, 0)), continuation(1, E, bytes(2, 0)))))
        .isEqualTo(PacketError.LENGTH_MISMATCH);
  }

  @Test
  void singlePacketWithMoreDataThanItsTotalIsALengthMismatch() {
    assertThat(refusal(frame(start(1, S | E, 2, bytes(3, 0)))))
        .isEqualTo(PacketError.LENGTH_MISMATCH);
  }

  @Test
  void endShortOfTheTotalIsALengthMismatch() {
    assertThat(refusal(frame(start(1, S, 10, bytes(3, 0)), continuation(1, E, bytes(2, 0)))))
        .isEqualTo(PacketError.LENGTH_MISMATCH);
    assertThat(received).isEmpty();
  }

  @Test
  void afterAFailureFurtherFramesAreIgnored() throws Exception {
    refusal(frame(whole(9, bytes(1, 0))));
    decode(frame(whole(1, bytes(1, 0))));
    assertThat(received).isEmpty();
  }

  @Test
  void releaseDropsUnfinishedMessages() throws Exception {
    decode(frame(start(1, S, 1000, bytes(500, 0))));
    assertThat(decoder.heldBytes()).isPositive();
    decoder.release();
    assertThat(decoder.heldBytes()).isZero();
    decode(frame(continuation(1, E, bytes(500, 0))));
    assertThat(received).isEmpty();
  }

  @Test
  void headerWriterProducesTheDocumentedLayout() {
    byte[] out = new byte[8];
    int end = PacketFormat.writeHeader(out, 0, 7, S | E, 0x01020304L, 0x0506);
    assertThat(end).isEqualTo(8);
    assertThat(out).containsExactly(7, 3, 1, 2, 3, 4, 5, 6);
    assertThat(PacketFormat.writeHeader(out, 0, 7, 0, 99, 0x0506)).isEqualTo(4);
    assertThat(Arrays.copyOf(out, 4)).containsExactly(7, 0, 5, 6);
  }
}
