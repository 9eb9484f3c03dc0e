package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever frame plaintexts arrive, the packet decoder only ever fails with a documented {@link
 * PacketError}, holds no more than its limits and twice what it was fed, and delivers each topic's
 * messages intact and in order as far as the input is valid.
 */
class PacketDecoderPropertiesTest {

  private static final int[] TOPICS = {0, 1, 2, 3, 255};
  private static final long[] LIMITS = PacketDecoderTest.limits();
  private static final long SUM_OF_LIMITS = Arrays.stream(LIMITS).filter(l -> l > 0).sum();

  @Property(tries = 500)
  void randomPlaintextsOnlyGiveDocumentedErrors(
      @ForAll @Size(max = 8) List<@Size(max = 3000) byte[]> frames) {
    Run run = new Run();
    for (byte[] f : frames) {
      run.feed(f);
    }
  }

  @Property(tries = 500)
  void validStreamsArriveWholeAndMutatedOnesFailCleanly(
      @ForAll long seed, @ForAll @IntRange(max = 3) int mutations) {
    Random random = new Random(seed);
    Map<Integer, List<byte[]>> sent = new HashMap<>();
    List<byte[]> frames = packetize(randomMessages(random, sent), random);
    for (int i = 0; i < mutations && !frames.isEmpty(); i++) {
      int at = random.nextInt(frames.size());
      frames.set(at, mutate(frames.get(at), random));
    }
    Run run = new Run();
    frames.forEach(run::feed);
    if (mutations == 0) {
      // Unmutated: every message arrives, byte for byte and in order on its topic.
      assertThat(run.decoder.isFailed()).isFalse();
      assertThat(run.received.keySet()).isEqualTo(sent.keySet());
      sent.forEach(
          (topic, messages) ->
              assertThat(run.received.get(topic))
                  .usingElementComparator(Arrays::compare)
                  .containsExactlyElementsOf(messages));
      assertThat(run.decoder.heldBytes()).isZero();
    }
  }

  /** Feeds frames and checks the decoder's contract after each. */
  private static final class Run {
    final Map<Integer, List<byte[]>> received = new HashMap<>();
    final PacketDecoder decoder =
        new PacketDecoder(
            LIMITS,
            (topic, message) ->
                received.computeIfAbsent(topic, t -> new ArrayList<>()).add(message));
    long fed;

    void feed(byte[] frame) {
      fed += frame.length;
      boolean failedBefore = decoder.isFailed();
      try {
        decoder.decodeFrame(frame, 0, frame.length);
      } catch (PacketException e) {
        assertThat(failedBefore).as("a failed decoder ignores input").isFalse();
        assertThat(e.reason()).isIn((Object[]) PacketError.values()).isEqualTo(decoder.failure());
      }
      assertThat(decoder.heldBytes()).isBetween(0L, Math.min(SUM_OF_LIMITS, 2 * fed));
      assertThat(decoder.peakHeldBytes()).isLessThanOrEqualTo(Math.min(SUM_OF_LIMITS, 2 * fed));
    }
  }

  private static List<Object[]> randomMessages(Random random, Map<Integer, List<byte[]>> sent) {
    List<Object[]> messages = new ArrayList<>();
    int count = random.nextInt(12);
    for (int i = 0; i < count; i++) {
      int topic = TOPICS[1 + random.nextInt(TOPICS.length - 1)];
      int max = (int) Math.min(LIMITS[topic], random.nextInt(8) == 0 ? 200_000 : 3000);
      byte[] m = new byte[random.nextInt(max + 1)];
      random.nextBytes(m);
      messages.add(new Object[] {topic, m});
      sent.computeIfAbsent(topic, t -> new ArrayList<>()).add(m);
    }
    return messages;
  }

  /** Cuts messages into random packets, interleaving topics, and packs them into frames. */
  private static List<byte[]> packetize(List<Object[]> messages, Random random) {
    Map<Integer, ArrayList<Object[]>> byTopic = new HashMap<>();
    for (Object[] m : messages) {
      byTopic.computeIfAbsent((Integer) m[0], t -> new ArrayList<>()).add(new Object[] {m[1], 0});
    }
    List<byte[]> frames = new ArrayList<>();
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    List<Integer> active = new ArrayList<>(byTopic.keySet());
    while (!active.isEmpty()) {
      int topic = active.get(random.nextInt(active.size()));
      Object[] head = byTopic.get(topic).get(0);
      byte[] data = (byte[]) head[0];
      int offset = (Integer) head[1];
      int header = PacketFormat.headerLength(offset == 0);
      int room = WireLimits.MAX_FRAME_PLAINTEXT - frame.size() - header;
      if (room <= 0 || (random.nextInt(10) == 0 && frame.size() > 0)) {
        frames.add(frame.toByteArray());
        frame.reset();
        continue;
      }
      int n = Math.min(Math.min(data.length - offset, room), 1 + random.nextInt(20_000));
      boolean end = offset + n == data.length;
      int flags = (offset == 0 ? PacketFormat.FLAG_START : 0) | (end ? PacketFormat.FLAG_END : 0);
      byte[] h = new byte[header];
      PacketFormat.writeHeader(h, 0, topic, flags, data.length, n);
      frame.writeBytes(h);
      frame.write(data, offset, n);
      head[1] = offset + n;
      if (end) {
        byTopic.get(topic).remove(0);
        if (byTopic.get(topic).isEmpty()) {
          active.remove(Integer.valueOf(topic));
        }
      }
    }
    frames.add(frame.toByteArray());
    return frames;
  }

  private static byte[] mutate(byte[] frame, Random random) {
    if (frame.length == 0) {
      return new byte[] {(byte) random.nextInt()};
    }
    int at = random.nextInt(frame.length);
    switch (random.nextInt(4)) {
      case 0 -> frame[at] = (byte) random.nextInt(); // any byte, header fields included
      case 1 -> frame[at] ^= (byte) (1 << random.nextInt(8));
      case 2 -> {
        return Arrays.copyOf(frame, at); // cut short
      }
      default -> {
        byte[] out = Arrays.copyOf(frame, frame.length + 1); // a byte slipped in
        System.arraycopy(frame, at, out, at + 1, frame.length - at);
        out[at] = (byte) random.nextInt();
        return out;
      }
    }
    return frame;
  }
}
