package network.canopy.p2p.wire;

import java.nio.charset.StandardCharsets;

/**
 * A message on topic 0 (docs/PROTOCOL.md §9): {@code u8 type} then its body. PING and PONG carry a
 * u64 nonce; GOODBYE carries a u8 code and a str8 reason the receiver logs; WINDOW_UPDATE
 * (capability {@code window/1}) a u8 topic id and a u32 increment; IHAVE, GRAFT and PRUNE (lazy
 * push, capability {@code lazy/1}) a topic id and up to 15 gossip message ids; OBSERVED_ADDRESS
 * (capability {@code addr/1}) the IP and port the sender sees the connection come from.
 */
public sealed interface ControlMessage {
  int TYPE_PING = 1;
  int TYPE_PONG = 2;
  int TYPE_GOODBYE = 3;

  /** Capability {@code window/1} only (docs/PROTOCOL.md §11.4). */
  int TYPE_WINDOW_UPDATE = 0x20;

  /** Lazy push (capability lazy/1, PROTOCOL.md §13.3): IHAVE, GRAFT, PRUNE. */
  int TYPE_IHAVE = 0x30;

  int TYPE_GRAFT = 0x31;
  int TYPE_PRUNE = 0x32;

  /** Most message ids in one IHAVE or GRAFT: 3 + 15 × 32 = 483 bytes, under the control limit. */
  int MAX_LAZY_IDS = 15;

  /** Capability {@code addr/1} only (docs/PROTOCOL.md §17.5). */
  int TYPE_OBSERVED_ADDRESS = 0x40;

  /** Goodbye code: a deliberate close (shutdown, operator, duplicate connection, ...). */
  int GOODBYE_NORMAL = 0;

  /** Goodbye code: the receiver of the GOODBYE broke this protocol; the reason says how. */
  int GOODBYE_PROTOCOL_ERROR = 1;

  /** Goodbye code: the receiver of the GOODBYE sent nothing for the heartbeat timeout. */
  int GOODBYE_TIMEOUT = 2;

  /** Bytes of the encoded message. */
  int encodedLength();

  /** Writes the message at {@code out[pos]}; returns the position after it. */
  int encode(byte[] out, int pos);

  /** Asks the peer to echo {@code nonce} in a PONG. */
  record Ping(long nonce) implements ControlMessage {
    @Override
    public int encodedLength() {
      return 9;
    }

    @Override
    public int encode(byte[] out, int pos) {
      out[pos] = TYPE_PING;
      return putU64(out, pos + 1, nonce);
    }
  }

  /** Answers the PING that carried {@code nonce}. */
  record Pong(long nonce) implements ControlMessage {
    @Override
    public int encodedLength() {
      return 9;
    }

    @Override
    public int encode(byte[] out, int pos) {
      out[pos] = TYPE_PONG;
      return putU64(out, pos + 1, nonce);
    }
  }

  /** The sender is about to close the connection, and says why. */
  record Goodbye(int code, String reason) implements ControlMessage {
    /** Keeps at most 255 UTF-8 bytes of {@code reason}, cut on a character boundary. */
    public Goodbye {
      if (code < 0 || code > 0xff) {
        throw new IllegalArgumentException("goodbye code out of range: " + code);
      }
      reason = truncateUtf8(reason == null ? "" : reason, 0xff);
    }

    @Override
    public int encodedLength() {
      return 3 + reason.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public int encode(byte[] out, int pos) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      out[pos] = TYPE_GOODBYE;
      out[pos + 1] = (byte) code;
      out[pos + 2] = (byte) text.length;
      System.arraycopy(text, 0, out, pos + 3, text.length);
      return pos + 3 + text.length;
    }
  }

  /**
   * Lets the receiver of this message send {@code increment} more window bytes on {@code topicId}.
   */
  record WindowUpdate(int topicId, long increment) implements ControlMessage {
    /** Largest increment one message carries. */
    public static final long MAX_INCREMENT = 0xffff_ffffL;

    public WindowUpdate {
      if (topicId < 0 || topicId > 0xff || increment < 0 || increment > MAX_INCREMENT) {
        throw new IllegalArgumentException(
            "window update out of range: " + topicId + ", " + increment);
      }
    }

    @Override
    public int encodedLength() {
      return 6;
    }

    @Override
    public int encode(byte[] out, int pos) {
      out[pos] = (byte) TYPE_WINDOW_UPDATE;
      out[pos + 1] = (byte) topicId;
      for (int shift = 24; shift >= 0; shift -= 8) {
        out[pos + 5 - shift / 8] = (byte) (increment >>> shift);
      }
      return pos + 6;
    }
  }

  /**
   * Tells the receiver the address its side of the connection has as the sender sees it: the TCP
   * peer address (an IPv4 4-byte or IPv6 16-byte IP, and the port).
   */
  record ObservedAddress(byte[] ip, int port) implements ControlMessage {
    public ObservedAddress {
      if ((ip.length != 4 && ip.length != 16) || port < 1 || port > 0xffff) {
        throw new IllegalArgumentException("observed address: ip of 4 or 16 bytes, port 1..65535");
      }
      ip = ip.clone();
    }

    @Override
    public byte[] ip() {
      return ip.clone();
    }

    @Override
    public int encodedLength() {
      return 4 + ip.length;
    }

    @Override
    public int encode(byte[] out, int pos) {
      out[pos] = (byte) TYPE_OBSERVED_ADDRESS;
      out[pos + 1] = (byte) (ip.length == 4 ? 4 : 6);
      System.arraycopy(ip, 0, out, pos + 2, ip.length);
      int at = pos + 2 + ip.length;
      out[at] = (byte) (port >>> 8);
      out[at + 1] = (byte) port;
      return at + 2;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ObservedAddress a && java.util.Arrays.equals(ip, a.ip) && port == a.port;
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(ip) * 31 + port;
    }

    @Override
    public String toString() {
      return "ObservedAddress[" + java.util.Arrays.toString(ip) + ":" + port + "]";
    }
  }

  /**
   * A lazy-push message (§13.3): {@code u8 topic_id, u8 count, count × [32] message_id}. IHAVE has
   * 1..15 ids, GRAFT 0..15, PRUNE none.
   */
  record LazyPush(int type, int topicId, byte[][] ids) implements ControlMessage {
    public LazyPush {
      if (type < TYPE_IHAVE
          || type > TYPE_PRUNE
          || topicId < 0
          || topicId > 0xff
          || ids.length > MAX_LAZY_IDS) {
        throw new IllegalArgumentException(
            "not a lazy-push message: type "
                + type
                + ", topic "
                + topicId
                + ", "
                + ids.length
                + " ids");
      }
    }

    @Override
    public int encodedLength() {
      return 3 + 32 * ids.length;
    }

    @Override
    public int encode(byte[] out, int pos) {
      out[pos] = (byte) type;
      out[pos + 1] = (byte) topicId;
      out[pos + 2] = (byte) ids.length;
      pos += 3;
      for (byte[] id : ids) {
        System.arraycopy(id, 0, out, pos, 32);
        pos += 32;
      }
      return pos;
    }

    static LazyPush decode(int type, ByteReader r) throws WireFormatException {
      int topic = r.u8("control.lazy.topic");
      int count = r.u8("control.lazy.count");
      int min = type == TYPE_IHAVE ? 1 : 0;
      int max = type == TYPE_PRUNE ? 0 : MAX_LAZY_IDS;
      if (count < min || count > max) {
        throw new WireFormatException(
            "control.lazy.count: " + count + " not in " + min + ".." + max);
      }
      byte[][] ids = new byte[count][];
      for (int i = 0; i < count; i++) {
        ids[i] = r.bytes(32, "control.lazy.id");
      }
      return new LazyPush(type, topic, ids);
    }
  }

  /** Parses one whole control message; unknown types and wrong lengths are format errors. */
  static ControlMessage decode(byte[] message) throws WireFormatException {
    ByteReader r = new ByteReader(message);
    int type = r.u8("control.type");
    ControlMessage decoded =
        switch (type) {
          case TYPE_PING -> new Ping(r.u64("control.ping.nonce"));
          case TYPE_PONG -> new Pong(r.u64("control.pong.nonce"));
          case TYPE_GOODBYE ->
              new Goodbye(r.u8("control.goodbye.code"), r.str8("control.goodbye.reason"));
          case TYPE_WINDOW_UPDATE ->
              windowUpdate(r.u8("control.window.topic"), r.u32("control.window.increment"));
          case TYPE_IHAVE, TYPE_GRAFT, TYPE_PRUNE -> LazyPush.decode(type, r);
          case TYPE_OBSERVED_ADDRESS -> observedAddress(r);
          default -> throw new WireFormatException("control.type: unknown type " + type);
        };
    r.expectEnd("control message");
    return decoded;
  }

  /** Windows exist for application topics only (1..254), and an update grants at least one byte. */
  private static WindowUpdate windowUpdate(int topicId, long increment) throws WireFormatException {
    if (topicId == PacketFormat.CONTROL_TOPIC || topicId == PacketFormat.PEER_EXCHANGE_TOPIC) {
      throw new WireFormatException("control.window.topic: topic " + topicId + " has no window");
    }
    if (increment == 0) {
      throw new WireFormatException("control.window.increment: 0");
    }
    return new WindowUpdate(topicId, increment);
  }

  private static ObservedAddress observedAddress(ByteReader r) throws WireFormatException {
    int family = r.u8("control.observed.family");
    if (family != 4 && family != 6) {
      throw new WireFormatException("control.observed.family: unknown " + family);
    }
    byte[] ip = r.bytes(family == 4 ? 4 : 16, "control.observed.ip");
    if (family == 6 && PeerExchangeMessage.isV4Mapped(ip)) {
      throw new WireFormatException("control.observed.ip: IPv4-mapped IPv6 (use family 4)");
    }
    int port = r.u16("control.observed.port");
    if (port == 0) {
      throw new WireFormatException("control.observed.port: 0");
    }
    return new ObservedAddress(ip, port);
  }

  private static int putU64(byte[] out, int pos, long v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      out[pos++] = (byte) (v >>> shift);
    }
    return pos;
  }

  private static String truncateUtf8(String s, int maxBytes) {
    byte[] raw = s.getBytes(StandardCharsets.UTF_8);
    if (raw.length <= maxBytes) {
      return s;
    }
    int end = maxBytes;
    while (end > 0 && (raw[end] & 0xc0) == 0x80) {
      end--; // back off to the first byte of the character that does not fit
    }
    return new String(raw, 0, end, StandardCharsets.UTF_8);
  }
}
