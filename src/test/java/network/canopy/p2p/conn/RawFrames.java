package network.canopy.p2p.conn;

import java.io.ByteArrayOutputStream;
import network.canopy.p2p.wire.PacketFormat;

/** Frame plaintexts written byte by byte from docs/PROTOCOL.md §8, right or deliberately wrong. */
final class RawFrames {
  static final int START = PacketFormat.FLAG_START;
  static final int END = PacketFormat.FLAG_END;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  static RawFrames frame() {
    return new RawFrames();
  }

  /** A START packet announcing {@code total} and carrying {@code data}. */
  RawFrames start(int topic, int flags, long total, byte[] data) {
    out.write(topic);
    out.write(flags);
    for (int shift = 24; shift >= 0; shift -= 8) {
      out.write((int) (total >>> shift));
    }
    return dataLengthAndData(data.length, data);
  }

  /** A packet without total_length; {@code flags} may be anything. */
  RawFrames continuation(int topic, int flags, byte[] data) {
    out.write(topic);
    out.write(flags);
    return dataLengthAndData(data.length, data);
  }

  /** A continuation whose data_length claims {@code claimed} bytes but carries {@code data}. */
  RawFrames lyingContinuation(int topic, int flags, int claimed, byte[] data) {
    out.write(topic);
    out.write(flags);
    return dataLengthAndData(claimed, data);
  }

  RawFrames whole(int topic, byte[] data) {
    return start(topic, START | END, data.length, data);
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private RawFrames dataLengthAndData(int length, byte[] data) {
    out.write(length >>> 8);
    out.write(length);
    out.writeBytes(data);
    return this;
  }
}
