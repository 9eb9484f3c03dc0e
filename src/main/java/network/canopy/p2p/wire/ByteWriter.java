package network.canopy.p2p.wire;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian writer for the small structures of docs/PROTOCOL.md (handshake payloads). */
public final class ByteWriter {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

  public ByteWriter u8(int v) {
    if (v < 0 || v > 0xff) {
      throw new IllegalArgumentException("u8 out of range: " + v);
    }
    out.write(v);
    return this;
  }

  public ByteWriter u16(int v) {
    if (v < 0 || v > 0xffff) {
      throw new IllegalArgumentException("u16 out of range: " + v);
    }
    out.write(v >>> 8);
    out.write(v);
    return this;
  }

  public ByteWriter u64(long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out.write((int) (v >>> shift));
    }
    return this;
  }

  public ByteWriter bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  /** UTF-8 string prefixed by its byte length as u8 (at most 255 bytes). */
  public ByteWriter str8(String s) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    if (raw.length > 0xff) {
      throw new IllegalArgumentException("string longer than 255 bytes: " + s);
    }
    out.write(raw.length);
    out.writeBytes(raw);
    return this;
  }

  public byte[] toByteArray() {
    return out.toByteArray();
  }
}
