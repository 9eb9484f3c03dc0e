package network.canopy.p2p.wire;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import network.canopy.p2p.crypto.CipherState;

/** A sender and receiver keyed alike, plus helpers to build frame streams. */
final class FrameFixture {
  final byte[] key = new byte[32];
  final FrameEncoder encoder;
  final CipherState receiveState;
  final List<byte[]> received = new ArrayList<>();

  FrameFixture(long seed) {
    new Random(seed).nextBytes(key);
    encoder = new FrameEncoder(new CipherState(key));
    receiveState = new CipherState(key);
  }

  FrameDecoder decoder() {
    return decoder(WireLimits.MAX_FRAME_CIPHERTEXT);
  }

  FrameDecoder decoder(int max) {
    return new FrameDecoder(
        receiveState,
        max,
        (bytes, offset, length) ->
            received.add(Arrays.copyOfRange(bytes, offset, offset + length)));
  }

  static List<byte[]> plaintexts(Random random, int count, int maxLength) {
    List<byte[]> list = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] p = new byte[random.nextInt(maxLength + 1)];
      random.nextBytes(p);
      list.add(p);
    }
    return list;
  }

  byte[] seal(List<byte[]> plaintexts) throws FrameException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : plaintexts) {
      out.writeBytes(encoder.seal(p));
    }
    return out.toByteArray();
  }

  /** Frame start offsets within a stream of well-formed frames. */
  static List<Integer> frameStarts(byte[] stream) {
    List<Integer> starts = new ArrayList<>();
    for (int at = 0;
        at < stream.length;
        at += 2 + (((stream[at] & 0xff) << 8) | (stream[at + 1] & 0xff))) {
      starts.add(at);
    }
    return starts;
  }
}
