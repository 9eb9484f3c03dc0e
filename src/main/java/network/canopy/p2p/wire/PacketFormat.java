package network.canopy.p2p.wire;

/**
 * Layout of the packets inside a frame's plaintext (docs/PROTOCOL.md §8): {@code u8 topic_id, u8
 * flags, [u32 total_length when START], u16 data_length, data}. Constants and the header writer.
 */
public final class PacketFormat {
  /** Topic 0 carries control messages (PING, PONG, GOODBYE). */
  public static final int CONTROL_TOPIC = 0;

  /** Topic 255 carries peer exchange; every node accepts it without announcing it. */
  public static final int PEER_EXCHANGE_TOPIC = 255;

  /** Highest topic id an application topic may use; 240..255 are reserved. */
  public static final int MAX_APPLICATION_TOPIC = 239;

  public static final int TOPIC_COUNT = 256;

  /** Flag bit: first packet of a message; the header then carries total_length. */
  public static final int FLAG_START = 0x01;

  /** Flag bit: last packet of a message. */
  public static final int FLAG_END = 0x02;

  public static final int KNOWN_FLAGS = FLAG_START | FLAG_END;

  /**
   * Flag bit, capability {@code direct/1} only (docs/PROTOCOL.md §15): on a START packet of an
   * application topic, the message is addressed to the receiver alone — delivered, never forwarded,
   * never deduplicated. Without the capability it is an unknown bit (MALFORMED_PACKET).
   */
  public static final int FLAG_DIRECT = 0x04;

  /** Header bytes of a START packet: topic, flags, total_length, data_length. */
  public static final int START_HEADER_LENGTH = 1 + 1 + 4 + 2;

  /** Header bytes of any other packet: topic, flags, data_length. */
  public static final int CONTINUATION_HEADER_LENGTH = 1 + 1 + 2;

  /** Most a u32 total_length can announce. */
  public static final long MAX_WIRE_MESSAGE_LENGTH = 0xFFFF_FFFFL;

  /**
   * Most this implementation holds as one message (one Java array); no topic limit may exceed it.
   */
  public static final long MAX_MESSAGE_LENGTH = Integer.MAX_VALUE - 8;

  /** Fixed limit for a control message (the largest, a GOODBYE, is 258 bytes). */
  public static final int MAX_CONTROL_MESSAGE = 512;

  /**
   * Fixed limit for a peer-exchange message: topic 255 is not announced, so both sides must know
   * it.
   */
  public static final int MAX_PEER_EXCHANGE_MESSAGE = 1 << 20;

  /** The largest message that fits one packet in one frame: 65519 - 8 = 65511 bytes. */
  public static final int MAX_SINGLE_PACKET_MESSAGE =
      WireLimits.MAX_FRAME_PLAINTEXT - START_HEADER_LENGTH;

  private PacketFormat() {}

  /** Header length for a packet that is ({@code start}) or is not the first of its message. */
  public static int headerLength(boolean start) {
    return start ? START_HEADER_LENGTH : CONTINUATION_HEADER_LENGTH;
  }

  /**
   * Writes a packet header at {@code out[pos]}; the caller then writes {@code dataLength} bytes.
   * {@code totalLength} is written only when {@code flags} has START.
   *
   * @return the position after the header
   */
  public static int writeHeader(
      byte[] out, int pos, int topic, int flags, long totalLength, int dataLength) {
    if (topic < 0
        || topic >= TOPIC_COUNT
        || (flags & ~(KNOWN_FLAGS | FLAG_DIRECT)) != 0
        || ((flags & FLAG_DIRECT) != 0 && (flags & FLAG_START) == 0)
        || dataLength < 0
        || dataLength > 0xffff) {
      throw new IllegalArgumentException(
          "bad packet header: topic " + topic + " flags " + flags + " data " + dataLength);
    }
    out[pos++] = (byte) topic;
    out[pos++] = (byte) flags;
    if ((flags & FLAG_START) != 0) {
      if (totalLength < 0 || totalLength > MAX_WIRE_MESSAGE_LENGTH) {
        throw new IllegalArgumentException("total length out of range: " + totalLength);
      }
      out[pos++] = (byte) (totalLength >>> 24);
      out[pos++] = (byte) (totalLength >>> 16);
      out[pos++] = (byte) (totalLength >>> 8);
      out[pos++] = (byte) totalLength;
    }
    out[pos++] = (byte) (dataLength >>> 8);
    out[pos++] = (byte) dataLength;
    return pos;
  }
}
