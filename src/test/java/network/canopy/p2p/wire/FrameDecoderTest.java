package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import network.canopy.p2p.crypto.CipherState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {
  private final FrameFixture f = new FrameFixture(1);

  @Test
  void roundTripOneByteAtATime() throws FrameException {
    List<byte[]> sent =
        List.of(
            new byte[0],
            new byte[] {1},
            new byte[100],
            new byte[WireLimits.MAX_FRAME_PLAINTEXT],
            new byte[5000]);
    byte[] stream = f.seal(sent);
    FrameDecoder decoder = f.decoder();
    for (int i = 0; i < stream.length; i++) {
      decoder.feed(stream, i, 1);
      assertThat(decoder.bufferedBytes()).isLessThanOrEqualTo(WireLimits.MAX_FRAME_BYTES);
    }
    assertThat(f.received).containsExactlyElementsOf(sent);
    assertThat(decoder.bufferedBytes()).isZero();
    assertThat(decoder.isFailed()).isFalse();
  }

  @Test
  void manyFramesInOneChunk() throws FrameException {
    List<byte[]> sent = FrameFixture.plaintexts(new Random(2), 200, 3000);
    f.decoder().feed(f.seal(sent));
    assertThat(f.received).containsExactlyElementsOf(sent);
  }

  @Test
  void randomSplitPoints() throws FrameException {
    Random random = new Random(3);
    List<byte[]> sent = FrameFixture.plaintexts(random, 60, 70_000 / 4);
    sent.add(new byte[WireLimits.MAX_FRAME_PLAINTEXT]);
    byte[] stream = f.seal(sent);
    FrameDecoder decoder = f.decoder();
    for (int at = 0; at < stream.length; ) {
      int n = Math.min(stream.length - at, random.nextInt(random.nextBoolean() ? 10 : 80_000));
      decoder.feed(Arrays.copyOfRange(stream, at, at + n));
      at += n;
    }
    assertThat(f.received).containsExactlyElementsOf(sent);
  }

  @Test
  void flippedBitAnywhereIsAnErrorAndTheFrameIsNeverEmitted() throws FrameException {
    List<byte[]> sent = FrameFixture.plaintexts(new Random(4), 3, 40);
    byte[] original = f.seal(sent);
    List<Integer> starts = FrameFixture.frameStarts(original);
    // Trailing bytes give a length field that a flip made larger something to consume, so every
    // flip ends in an error rather than a wait for more input.
    byte[] stream = Arrays.copyOf(original, original.length + WireLimits.MAX_FRAME_BYTES);
    for (int bit = 0; bit < original.length * 8; bit++) {
      FrameFixture fresh = new FrameFixture(1);
      FrameDecoder decoder = fresh.decoder();
      byte[] tampered = stream.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> decoder.feed(tampered))
          .as("bit %d", bit)
          .isInstanceOf(FrameException.class);
      assertThat(decoder.failure()).isIn(FrameError.BAD_TAG, FrameError.TOO_SHORT);
      int frame = frameIndex(starts, bit / 8);
      assertThat(fresh.received)
          .as("bit %d", bit)
          .containsExactlyElementsOf(sent.subList(0, frame));
    }
  }

  @Test
  void replayedFrameIsRefused() throws FrameException {
    byte[] frame = f.encoder.seal(new byte[] {1, 2, 3});
    FrameDecoder decoder = f.decoder();
    decoder.feed(frame);
    assertThatThrownBy(() -> decoder.feed(frame))
        .isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameError.BAD_TAG);
    assertThat(f.received).hasSize(1);
  }

  @Test
  void reorderedFramesAreRefused() throws FrameException {
    byte[] first = f.encoder.seal(new byte[] {1});
    byte[] second = f.encoder.seal(new byte[] {2});
    FrameDecoder decoder = f.decoder();
    assertThatThrownBy(() -> decoder.feed(second)).isInstanceOf(FrameException.class);
    assertThat(decoder.failure()).isEqualTo(FrameError.BAD_TAG);
    assertThat(f.received).isEmpty();
  }

  @Test
  void truncatedStreamDoesNotEmitItsLastFrame() throws FrameException {
    List<byte[]> sent = List.of(new byte[10], new byte[20]);
    byte[] stream = f.seal(sent);
    FrameDecoder decoder = f.decoder();
    decoder.feed(stream, 0, stream.length - 1);
    assertThat(f.received).containsExactly(sent.get(0));
    assertThat(decoder.isFailed()).isFalse();
    assertThat(decoder.bufferedBytes()).isEqualTo(2 + 20 + 16 - 1);
    decoder.feed(stream, stream.length - 1, 1);
    assertThat(f.received).containsExactlyElementsOf(sent);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 15})
  void lengthShorterThanATagIsAnError(int length) {
    FrameDecoder decoder = f.decoder();
    byte[] stream = new byte[2 + 40];
    stream[1] = (byte) length;
    assertThatThrownBy(() -> decoder.feed(stream))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("TOO_SHORT");
    assertThat(decoder.failure()).isEqualTo(FrameError.TOO_SHORT);
    assertThat(decoder.bufferedBytes()).isZero();
  }

  @Test
  void emptyPlaintextFrameOfSixteenBytesIsValid() throws FrameException {
    byte[] frame = f.encoder.seal(new byte[0]);
    assertThat(frame).hasSize(18);
    assertThat(frame[1]).isEqualTo((byte) 16);
    f.decoder().feed(frame);
    assertThat(f.received).containsExactly(new byte[0]);
  }

  @Test
  void lengthOverTheConfiguredMaximumIsAnError() throws FrameException {
    FrameDecoder decoder = f.decoder(1000);
    decoder.feed(f.encoder.seal(new byte[1000 - 16]));
    assertThat(f.received).hasSize(1);
    byte[] tooLong = f.encoder.seal(new byte[1000 - 15]);
    // Only the length prefix is needed to refuse it: nothing of the body is buffered.
    assertThatThrownBy(() -> decoder.feed(tooLong, 0, 2))
        .isInstanceOf(FrameException.class)
        .hasMessageContaining("1001");
    assertThat(decoder.failure()).isEqualTo(FrameError.TOO_LONG);
  }

  @Test
  void failedDecoderIgnoresFurtherInput() throws FrameException {
    FrameDecoder decoder = f.decoder();
    assertThatThrownBy(() -> decoder.feed(new byte[] {0, 0})).isInstanceOf(FrameException.class);
    decoder.feed(f.encoder.seal(new byte[] {9}));
    assertThat(f.received).isEmpty();
    assertThat(decoder.failure()).isEqualTo(FrameError.TOO_SHORT);
  }

  @Test
  void exhaustedReceiveNonceIsAnError() throws FrameException {
    f.receiveState.setNonce(CipherState.RESERVED_NONCE);
    FrameDecoder decoder = f.decoder();
    assertThatThrownBy(() -> decoder.feed(f.encoder.seal(new byte[] {1})))
        .isInstanceOf(FrameException.class);
    assertThat(decoder.failure()).isEqualTo(FrameError.NONCE_EXHAUSTED);
  }

  @Test
  void listenerExceptionPropagatesAndFailsTheDecoder() throws FrameException {
    FrameDecoder decoder =
        new FrameDecoder(
            f.receiveState,
            (b, o, l) -> {
              throw new IllegalStateException("application bug");
            });
    byte[] two = f.seal(List.of(new byte[] {1}, new byte[] {2}));
    assertThatThrownBy(() -> decoder.feed(two)).hasMessage("application bug");
    assertThat(decoder.failure()).isEqualTo(FrameError.LISTENER_FAILED);
    decoder.feed(two);
  }

  @Test
  void invalidConfigurationIsRefused() {
    assertThatThrownBy(() -> f.decoder(15)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> f.decoder(65536)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FrameDecoder(new CipherState(), (b, o, l) -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int frameIndex(List<Integer> starts, int byteIndex) {
    int index = 0;
    while (index + 1 < starts.size() && starts.get(index + 1) <= byteIndex) {
      index++;
    }
    return index;
  }
}
