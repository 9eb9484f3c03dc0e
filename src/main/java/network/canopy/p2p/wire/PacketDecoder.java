package network.canopy.p2p.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Splits frame plaintexts into packets and reassembles each topic's messages (docs/PROTOCOL.md
 * §8–10), enforcing the receiver rules: every violation throws {@link PacketException} and fails
 * the decoder for good. Not thread-safe.
 *
 * <p>Memory: a message in progress is held in an array that grows with the data actually received
 * (doubling, never past the announced total), so a topic holds at most min(its limit, 2 × bytes
 * received) and the decoder at most the sum of its topics' limits ({@link #heldBytes()}). The claim
 * alone sizes the array only where the sink agrees ({@link MessageSink#tryHoldWhole}: the node does
 * while its memory budget has ample room), saving the copies of growing. The total is checked
 * against the limit from the START header, before a byte of the message is kept. Every growth is
 * asked of the sink first ({@link MessageSink#tryHold}); when it refuses, the array grows only by
 * the packet in hand ({@link MessageSink#hold}). A finished message's array is handed over and no
 * longer counted ({@link MessageSink#released}).
 */
public final class PacketDecoder {

  /** Receives each complete message: a new array of exactly its length, owned by the sink. */
  @FunctionalInterface
  public interface MessageSink {
    void onMessage(int topicId, byte[] message);

    /** As above, with whether the message carried {@link PacketFormat#FLAG_DIRECT}. */
    default void onMessage(int topicId, byte[] message, boolean direct) {
      onMessage(topicId, message);
    }

    /**
     * A valid packet of {@code dataLength} bytes, before its data is kept (flow-control
     * accounting).
     */
    default void onPacket(int topicId, boolean start, int dataLength) {}

    /** Asked before a message in reassembly grows by {@code bytes}; false refuses the room. */
    default boolean tryHold(long bytes) {
      return true;
    }

    /**
     * Asked once per message that spans packets, for room for the whole of it ({@code bytes} more)
     * at once; true = one array of the announced length, false (free of cost) = the message grows
     * as its data arrives. An announcement alone is not taken at its word unless the sink agrees.
     */
    default boolean tryHoldWhole(long bytes) {
      return false;
    }

    /**
     * A refused message grew anyway by {@code bytes}: the packet in hand, which cannot be unread.
     */
    default void hold(long bytes) {}

    /** {@code bytes} of reassembly are no longer held here (a finished message was handed over). */
    default void released(long bytes) {}
  }

  private static final byte[] EMPTY = new byte[0];

  private final long[] limits;
  private final MessageSink sink;

  /** The flag bits this connection accepts: DIRECT only when both sides announced direct/1. */
  private final int allowedFlags;

  private final Reassembly[] inProgress = new Reassembly[PacketFormat.TOPIC_COUNT];
  private long heldBytes;
  private long peakHeldBytes;
  private PacketError failure;
  private boolean released;

  /**
   * @param limits 256 entries: the largest message accepted on each topic id, or a negative value
   *     for a topic this node does not know (its packets are {@link PacketError#UNKNOWN_TOPIC})
   */
  public PacketDecoder(long[] limits, MessageSink sink) {
    this(limits, false, sink);
  }

  /**
   * @param direct whether {@link PacketFormat#FLAG_DIRECT} is allowed (capability direct/1)
   */
  public PacketDecoder(long[] limits, boolean direct, MessageSink sink) {
    this.allowedFlags = PacketFormat.KNOWN_FLAGS | (direct ? PacketFormat.FLAG_DIRECT : 0);
    if (limits.length != PacketFormat.TOPIC_COUNT) {
      throw new IllegalArgumentException("need 256 topic limits, got " + limits.length);
    }
    this.limits = new long[limits.length];
    for (int i = 0; i < limits.length; i++) {
      // A limit past what one Java array holds could never be honoured: cap it, so a START
      // claiming more is refused rather than overflowing.
      this.limits[i] = Math.min(limits[i], PacketFormat.MAX_MESSAGE_LENGTH);
    }
    this.sink = Objects.requireNonNull(sink, "sink");
  }

  /**
   * Decodes every packet of one frame's plaintext, handing complete messages to the sink in order.
   * Does nothing once failed or released. An exception thrown by the sink propagates as is.
   */
  public void decodeFrame(byte[] plaintext, int offset, int length) throws PacketException {
    Objects.checkFromIndexSize(offset, length, plaintext.length);
    int pos = offset;
    int end = offset + length;
    while (pos < end && failure == null && !released) {
      pos = decodePacket(plaintext, pos, end);
    }
  }

  /** Bytes held in unfinished messages now. */
  public long heldBytes() {
    return heldBytes;
  }

  /** The most {@link #heldBytes()} has ever been. */
  public long peakHeldBytes() {
    return peakHeldBytes;
  }

  /** True once a rule was broken; the stream is unusable from then on. */
  public boolean isFailed() {
    return failure != null;
  }

  public PacketError failure() {
    return failure;
  }

  /** Drops every unfinished message (the connection closed); later frames are ignored. */
  public void release() {
    Arrays.fill(inProgress, null);
    heldBytes = 0;
    released = true;
  }

  private int decodePacket(byte[] p, int pos, int end) throws PacketException {
    need(pos, end, 2, "packet header");
    int topic = p[pos] & 0xff;
    int flags = p[pos + 1] & 0xff;
    pos += 2;
    long limit = limits[topic];
    if (limit < 0) {
      throw fail(PacketError.UNKNOWN_TOPIC, "topic " + topic + " is not in this node's table");
    }
    if ((flags & ~allowedFlags) != 0) {
      throw fail(
          PacketError.MALFORMED_PACKET,
          "topic " + topic + ": unknown flag bits 0x" + Integer.toHexString(flags & ~allowedFlags));
    }
    boolean start = (flags & PacketFormat.FLAG_START) != 0;
    boolean last = (flags & PacketFormat.FLAG_END) != 0;
    boolean direct = (flags & PacketFormat.FLAG_DIRECT) != 0;
    if (direct
        && (!start
            || topic == PacketFormat.CONTROL_TOPIC
            || topic > PacketFormat.MAX_APPLICATION_TOPIC)) {
      throw fail(
          PacketError.MALFORMED_PACKET,
          "topic " + topic + ": DIRECT only on the START packet of an application topic");
    }
    Reassembly r = inProgress[topic];
    long total;
    if (start) {
      if (r != null) {
        throw fail(
            PacketError.MALFORMED_PACKET,
            "topic " + topic + ": START while a message is in progress");
      }
      need(pos, end, 4 + 2, "START header of topic " + topic);
      total = u32(p, pos);
      pos += 4;
      if (total > limit) {
        throw fail(
            PacketError.MESSAGE_TOO_LARGE,
            "topic " + topic + ": message of " + total + " bytes, limit " + limit);
      }
    } else {
      if (r == null) {
        throw fail(
            PacketError.MALFORMED_PACKET,
            "topic " + topic + ": continuation with no message in progress");
      }
      need(pos, end, 2, "header of topic " + topic);
      total = r.total;
    }
    int dataLength = ((p[pos] & 0xff) << 8) | (p[pos + 1] & 0xff);
    pos += 2;
    if (dataLength > end - pos) {
      throw fail(
          PacketError.MALFORMED_PACKET,
          "topic "
              + topic
              + ": data_length "
              + dataLength
              + " runs past the frame's end ("
              + (end - pos)
              + " bytes left)");
    }
    long received = r == null ? 0 : r.received;
    if (received + dataLength > total) {
      throw fail(
          PacketError.LENGTH_MISMATCH,
          "topic "
              + topic
              + ": "
              + (received + dataLength)
              + " bytes for a message announced as "
              + total);
    }
    if (last && received + dataLength != total) {
      throw fail(
          PacketError.LENGTH_MISMATCH,
          "topic " + topic + ": END after " + (received + dataLength) + " of " + total + " bytes");
    }
    sink.onPacket(topic, start, dataLength);
    if (start && last) {
      sink.onMessage(topic, Arrays.copyOfRange(p, pos, pos + dataLength), direct);
      return pos + dataLength;
    }
    if (start) {
      r = new Reassembly(total, direct);
      inProgress[topic] = r;
    }
    append(r, p, pos, dataLength);
    if (last) {
      inProgress[topic] = null;
      heldBytes -= r.data.length;
      sink.released(r.data.length);
      sink.onMessage(topic, r.data, r.direct);
    }
    return pos + dataLength;
  }

  private void append(Reassembly r, byte[] p, int pos, int length) {
    long needed = r.received + length;
    if (needed > r.data.length) {
      // Where the sink has room for the whole message it gets its final array at once: a 16 MiB
      // block grown by doubling allocated and copied another 16 MiB on the connection's loop.
      // Otherwise grow with what has arrived, doubling to keep copies linear, capped at the
      // announced total: at the end the array is exactly the message. Room is asked for first.
      boolean whole = r.data.length == 0 && sink.tryHoldWhole(r.total);
      int capacity =
          whole ? (int) r.total : (int) Math.min(r.total, Math.max(needed, 2L * r.data.length));
      if (!whole && !sink.tryHold(capacity - r.data.length)) {
        capacity = (int) needed; // no doubling without room: the packet in hand, held whatever
        if (!sink.tryHold(capacity - r.data.length)) {
          sink.hold(capacity - r.data.length);
        }
      }
      heldBytes += capacity - r.data.length;
      peakHeldBytes = Math.max(peakHeldBytes, heldBytes);
      r.data = Arrays.copyOf(r.data, capacity);
    }
    System.arraycopy(p, pos, r.data, (int) r.received, length);
    r.received = needed;
  }

  private void need(int pos, int end, int n, String what) throws PacketException {
    if (end - pos < n) {
      throw fail(PacketError.MALFORMED_PACKET, what + " truncated by the frame's end");
    }
  }

  private static long u32(byte[] p, int pos) {
    return ((p[pos] & 0xffL) << 24)
        | ((p[pos + 1] & 0xff) << 16)
        | ((p[pos + 2] & 0xff) << 8)
        | (p[pos + 3] & 0xff);
  }

  private PacketException fail(PacketError reason, String message) {
    failure = reason;
    return new PacketException(reason, message);
  }

  /** One topic's message in progress. */
  private static final class Reassembly {
    final long total;
    final boolean direct;
    long received;
    byte[] data = EMPTY;

    Reassembly(long total, boolean direct) {
      this.total = total;
      this.direct = direct;
    }
  }
}
