package network.canopy.p2p.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import network.canopy.p2p.crypto.CipherState;
import network.canopy.p2p.fuzz.FuzzStats;

/**
 * Coverage-guided fuzzing (Jazzer) of what follows the handshake: the frame decoder over a stream
 * of genuine, replayed, corrupted and raw frames in arbitrary chunks, and the packet decoder with
 * the receive side's topic limits (reassembly and control messages, as conn.Receiver drives them).
 * Only the documented exceptions may come out, buffers stay within their bounds, and what is
 * delivered is exactly what was sent.
 */
class StreamFuzzTargetsTest {

  private static final FuzzStats FRAME_STATS = FuzzStats.of("frameDecoder");
  private static final FuzzStats PACKET_STATS = FuzzStats.of("packetDecoder");
  private static final byte[] KEY = FuzzedHandshakeInputs.seed(4);

  /** Receiver's table: control, two application topics (one tiny), peer exchange. */
  private static final long[] LIMITS = limits();

  private static final long SUM_OF_LIMITS = Arrays.stream(LIMITS).filter(l -> l > 0).sum();

  @FuzzTest(maxDuration = "5s")
  void frameDecoder(FuzzedDataProvider data) throws Exception {
    FRAME_STATS.run(
        () -> {
          int max =
              data.consumeBoolean()
                  ? WireLimits.MAX_FRAME_CIPHERTEXT
                  : data.consumeInt(
                      WireLimits.MIN_FRAME_CIPHERTEXT, WireLimits.MAX_FRAME_CIPHERTEXT);
          List<byte[]> sealedPlaintexts = new ArrayList<>();
          byte[] stream = frameStream(data, sealedPlaintexts);
          List<byte[]> received = new ArrayList<>();
          FrameDecoder decoder =
              new FrameDecoder(
                  new CipherState(KEY),
                  max,
                  (bytes, offset, length) ->
                      received.add(Arrays.copyOfRange(bytes, offset, offset + length)));
          int at = 0;
          while (at < stream.length) {
            int n = Math.min(stream.length - at, data.consumeInt(1, 70_000));
            try {
              decoder.feed(stream, at, n);
            } catch (FrameException e) {
              check(decoder.failure() == e.reason(), "failure reason differs from the thrown one");
            }
            check(
                decoder.bufferedBytes() <= WireLimits.LENGTH_PREFIX + max,
                "frame buffer over its bound");
            at += n;
          }
          // The i-th frame that opens is the one sealed under nonce i: nothing forged, nothing
          // reordered.
          check(received.size() <= sealedPlaintexts.size(), "more frames out than were sealed");
          for (int i = 0; i < received.size(); i++) {
            check(
                Arrays.equals(received.get(i), sealedPlaintexts.get(i)),
                "frame " + i + " is not the one sealed");
          }
        });
  }

  @FuzzTest(maxDuration = "5s")
  void packetDecoder(FuzzedDataProvider data) throws Exception {
    PACKET_STATS.run(
        () -> {
          long[] fed = new long[1];
          PacketDecoder decoder =
              new PacketDecoder(
                  LIMITS,
                  (topic, message) -> {
                    check(message.length <= LIMITS[topic], "message over its topic's limit");
                    if (topic == PacketFormat.CONTROL_TOPIC) {
                      try {
                        ControlMessage.decode(message);
                      } catch (WireFormatException expected) {
                        check(!expected.getMessage().isEmpty(), "format error without a reason");
                      }
                    }
                  });
          int frames = data.consumeInt(1, 12);
          for (int i = 0; i < frames && !decoder.isFailed(); i++) {
            byte[] plaintext =
                data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 3000)) : packets(data);
            fed[0] += plaintext.length;
            try {
              decoder.decodeFrame(plaintext, 0, plaintext.length);
            } catch (PacketException e) {
              check(decoder.failure() == e.reason(), "failure reason differs from the thrown one");
            }
            // Reassembly grows with the data received (doubling), never with a length claim.
            long held = decoder.heldBytes();
            check(
                held >= 0 && held <= Math.min(SUM_OF_LIMITS, 2 * fed[0]),
                "reassembly holds " + held);
          }
          decoder.release();
          check(decoder.heldBytes() == 0, "bytes held after release");
        });
  }

  /** A stream of sealed frames (nonces in order), replays, corrupted frames and raw bytes. */
  private static byte[] frameStream(FuzzedDataProvider data, List<byte[]> sealedPlaintexts)
      throws FrameException {
    FrameEncoder encoder = new FrameEncoder(new CipherState(KEY));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    List<byte[]> sealedFrames = new ArrayList<>();
    int parts = data.consumeInt(0, 5); // each sealed frame costs a cipher init: keep runs short
    for (int i = 0; i < parts; i++) {
      switch (data.consumeInt(0, 4)) {
        case 0 -> out.writeBytes(data.consumeBytes(data.consumeInt(0, 64)));
        case 1 -> {
          if (!sealedFrames.isEmpty()) {
            out.writeBytes(sealedFrames.get(data.consumeInt(0, sealedFrames.size() - 1)));
          }
        }
        default -> {
          boolean big = data.consumeInt(0, 63) == 0;
          byte[] plaintext =
              big
                  ? new byte[data.consumeInt(0, WireLimits.MAX_FRAME_PLAINTEXT)]
                  : data.consumeBytes(data.consumeInt(0, 2000));
          byte[] frame = encoder.seal(plaintext);
          sealedPlaintexts.add(plaintext);
          sealedFrames.add(frame);
          out.writeBytes(FuzzedHandshakeInputs.maybeCorrupt(data, frame.clone()));
        }
      }
    }
    return out.toByteArray();
  }

  /** One frame plaintext of packets with fuzzed headers (topic, flags, total, data length). */
  private static byte[] packets(FuzzedDataProvider data) {
    ByteWriter w = new ByteWriter();
    int count = data.consumeInt(1, 4);
    int[] topics = {PacketFormat.CONTROL_TOPIC, 1, 2, PacketFormat.PEER_EXCHANGE_TOPIC};
    for (int i = 0; i < count; i++) {
      int topic =
          data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 255) : topics[data.consumeInt(0, 3)];
      int flags = data.consumeInt(0, 31) == 0 ? data.consumeInt(0, 255) : data.consumeInt(0, 3);
      w.u8(topic).u8(flags);
      if ((flags & PacketFormat.FLAG_START) != 0) {
        long total =
            data.consumeBoolean() ? data.consumeLong(0, 4000) : data.consumeLong(0, 0xFFFF_FFFFL);
        w.u16((int) (total >>> 16)).u16((int) (total & 0xFFFF));
      }
      byte[] body = data.consumeBytes(data.consumeInt(0, 1500));
      w.u16(data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 0xFFFF) : body.length).bytes(body);
    }
    return w.toByteArray();
  }

  /** Plain check: AssertJ's allocations per call would halve the executions per second. */
  private static void check(boolean condition, String failure) {
    if (!condition) {
      throw new AssertionError(failure);
    }
  }

  private static long[] limits() {
    long[] limits = new long[PacketFormat.TOPIC_COUNT];
    Arrays.fill(limits, -1);
    limits[PacketFormat.CONTROL_TOPIC] = PacketFormat.MAX_CONTROL_MESSAGE;
    limits[1] = 1 << 20;
    limits[2] = 100;
    limits[PacketFormat.PEER_EXCHANGE_TOPIC] = PacketFormat.MAX_PEER_EXCHANGE_MESSAGE;
    return limits;
  }
}
