package network.canopy.p2p.wire;

import java.io.ByteArrayOutputStream;

/**
 * Builds packet bytes by hand, straight from the layout in docs/PROTOCOL.md §8, for decoder tests.
 */
final class Packets {
  static final int S = PacketFormat.FLAG_START;
  static final int E = PacketFormat.FLAG_END;

  private Packets() {}

  /** A START packet (flags must include START) announcing {@code total}. */
  static byte[] start(int topic, int flags, long total, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(topic);
    out.write(flags);
    out.write((int) (total >>> 24));
    out.write((int) (total >>> 16));
    out.write((int) (total >>> 8));
    out.write((int) total);
    out.write(data.length >>> 8);
    out.write(data.length);
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** A packet without total_length (flags without START, or deliberately wrong ones). */
  static byte[] continuation(int topic, int flags, byte[] data) {
    return raw(topic, flags, data.length, data);
  }

  /** A packet whose data_length field says {@code claimed} whatever data follows. */
  static byte[] raw(int topic, int flags, int claimed, byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(topic);
    out.write(flags);
    out.write(claimed >>> 8);
    out.write(claimed);
    out.writeBytes(data);
    return out.toByteArray();
  }

  static byte[] whole(int topic, byte[] data) {
    return start(topic, S | E, data.length, data);
  }

  static byte[] frame(byte[]... packets) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : packets) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  static byte[] bytes(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 31 + seed);
    }
    return b;
  }
}
