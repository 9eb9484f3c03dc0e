package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever bytes arrive, in whatever chunks, the decoder only ever throws {@link FrameException},
 * keeps its buffer within one maximal frame, and emits nothing but the sender's frames in order.
 */
class FrameDecoderPropertiesTest {

  @Property(tries = 1000)
  void randomBytesOnlyEverGiveFrameErrors(
      @ForAll @Size(max = 140_000) byte[] stream, @ForAll long chunkSeed) {
    FrameFixture f = new FrameFixture(chunkSeed);
    FrameDecoder decoder = f.decoder();
    feedInChunks(decoder, stream, new Random(chunkSeed));
    // Random bytes authenticate with probability 2^-128: nothing may come out.
    assertThat(f.received).isEmpty();
  }

  @Property(tries = 1000)
  void mutatedStreamsEmitOnlyAPrefixOfTheSentFrames(
      @ForAll("plaintextSizes") List<Integer> sizes,
      @ForAll @IntRange(max = 4) int mutations,
      @ForAll long seed)
      throws FrameException {
    Random random = new Random(seed);
    FrameFixture f = new FrameFixture(seed);
    List<byte[]> sent = new ArrayList<>();
    for (int size : sizes) {
      byte[] p = new byte[size];
      random.nextBytes(p);
      sent.add(p);
    }
    byte[] stream = f.seal(sent);
    for (int i = 0; i < mutations; i++) {
      stream = mutate(stream, random);
    }
    FrameDecoder decoder = f.decoder(random.nextBoolean() ? 65535 : 16 + random.nextInt(65520));
    feedInChunks(decoder, stream, random);

    // The i-th emitted frame opened under nonce i, so it can only be the i-th frame sent.
    assertThat(sent.subList(0, Math.min(f.received.size(), sent.size())))
        .usingElementComparator(Arrays::compare)
        .containsExactlyElementsOf(f.received);
    if (mutations == 0 && !decoder.isFailed()) {
      assertThat(f.received).hasSameSizeAs(sent);
    }
  }

  @Provide
  Arbitrary<List<Integer>> plaintextSizes() {
    Arbitrary<Integer> size =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(0, 2000)),
            net.jqwik.api.Tuple.of(
                1, Arbitraries.integers().between(0, WireLimits.MAX_FRAME_PLAINTEXT)),
            net.jqwik.api.Tuple.of(1, Arbitraries.just(WireLimits.MAX_FRAME_PLAINTEXT)));
    return size.list().ofMaxSize(8);
  }

  /** Feeds in random chunk sizes, checking the decoder's contract after every call. */
  private static void feedInChunks(FrameDecoder decoder, byte[] stream, Random random) {
    int at = 0;
    while (at < stream.length) {
      int n = Math.min(stream.length - at, 1 + random.nextInt(random.nextBoolean() ? 7 : 90_000));
      boolean failedBefore = decoder.isFailed();
      try {
        decoder.feed(stream, at, n);
      } catch (FrameException e) {
        assertThat(failedBefore).as("a failed decoder must ignore input, not throw").isFalse();
        assertThat(decoder.failure()).isEqualTo(e.reason());
      }
      assertThat(decoder.bufferedBytes()).isBetween(0, WireLimits.MAX_FRAME_BYTES);
      at += n;
    }
  }

  private static byte[] mutate(byte[] stream, Random random) {
    int position = stream.length == 0 ? 0 : random.nextInt(stream.length);
    switch (random.nextInt(5)) {
      case 0 -> { // flip one bit
        if (stream.length > 0) {
          stream[position] ^= (byte) (1 << random.nextInt(8));
        }
        return stream;
      }
      case 1 -> { // truncate
        return Arrays.copyOf(stream, position);
      }
      case 2 -> { // delete one byte
        if (stream.length == 0) {
          return stream;
        }
        byte[] out = new byte[stream.length - 1];
        System.arraycopy(stream, 0, out, 0, position);
        System.arraycopy(stream, position + 1, out, position, stream.length - position - 1);
        return out;
      }
      case 3 -> { // insert a random byte
        byte[] out = new byte[stream.length + 1];
        System.arraycopy(stream, 0, out, 0, position);
        out[position] = (byte) random.nextInt();
        System.arraycopy(stream, position, out, position + 1, stream.length - position);
        return out;
      }
      default -> { // replay a slice (a whole frame when it starts at a frame boundary)
        int length = Math.min(stream.length - position, 1 + random.nextInt(200));
        byte[] out = Arrays.copyOf(stream, stream.length + length);
        System.arraycopy(stream, position, out, stream.length, length);
        return out;
      }
    }
  }
}
