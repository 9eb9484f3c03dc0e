package network.canopy.p2p.wire;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked big-endian reader over untrusted bytes: every read either succeeds or throws
 * {@link WireFormatException}, never an index exception, so decoders cannot crash on hostile input.
 */
public final class ByteReader {

  private final byte[] data;
  private final int end;
  private int pos;

  public ByteReader(byte[] data) {
    this(data, 0, data.length);
  }

  public ByteReader(byte[] data, int offset, int length) {
    this.data = data;
    this.pos = offset;
    this.end = offset + length;
  }

  public int u8(String field) throws WireFormatException {
    need(1, field);
    return data[pos++] & 0xff;
  }

  public int u16(String field) throws WireFormatException {
    need(2, field);
    int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
    pos += 2;
    return v;
  }

  public long u32(String field) throws WireFormatException {
    need(4, field);
    long v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (data[pos + i] & 0xff);
    }
    pos += 4;
    return v;
  }

  public long u64(String field) throws WireFormatException {
    need(8, field);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (data[pos + i] & 0xff);
    }
    pos += 8;
    return v;
  }

  public byte[] bytes(int length, String field) throws WireFormatException {
    need(length, field);
    byte[] out = new byte[length];
    System.arraycopy(data, pos, out, 0, length);
    pos += length;
    return out;
  }

  /** A UTF-8 string prefixed by its byte length as u8; malformed UTF-8 is rejected. */
  public String str8(String field) throws WireFormatException {
    int length = u8(field + " length");
    byte[] raw = bytes(length, field);
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw))
          .toString();
    } catch (CharacterCodingException e) {
      throw new WireFormatException(field + ": not valid UTF-8");
    }
  }

  /** Fails unless every byte was consumed: trailing bytes are a format error, not ignored. */
  public void expectEnd(String what) throws WireFormatException {
    if (pos != end) {
      throw new WireFormatException(what + ": " + (end - pos) + " unexpected trailing bytes");
    }
  }

  private void need(int n, String field) throws WireFormatException {
    if (n < 0 || end - pos < n) {
      throw new WireFormatException(
          field + ": truncated (need " + n + " bytes, have " + (end - pos) + ")");
    }
  }
}
