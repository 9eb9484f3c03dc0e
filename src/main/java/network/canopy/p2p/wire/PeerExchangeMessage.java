package network.canopy.p2p.wire;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A peer-exchange message, the payload of topic 255: a request for addresses or a response with up
 * to {@link #MAX_ENTRIES} (node id, IP, port) entries. Encoding: docs/PROTOCOL.md, "Peer exchange".
 * With capability {@code addr/1} responses carry signed {@link AddressRecord}s instead (kind 3),
 * and each side sends its own record (kind 4). Decoding checks structure only, not signatures;
 * whether an address is worth keeping is the peer book's call.
 */
public sealed interface PeerExchangeMessage {

  int KIND_REQUEST = 1;
  int KIND_RESPONSE = 2;

  /** Capability addr/1: a response of signed records. */
  int KIND_SIGNED_RESPONSE = 3;

  /** Capability addr/1: the sender's own signed record. */
  int KIND_OWN_RECORD = 4;

  /** Most entries a response may carry, and most a request may ask for. */
  int MAX_ENTRIES = 64;

  int ID_LENGTH = 32;

  /** The largest well-formed unsigned response: MAX_ENTRIES IPv6 entries. */
  int MAX_RESPONSE_LENGTH = 2 + MAX_ENTRIES * (ID_LENGTH + 1 + 16 + 2);

  /** The largest well-formed message: a signed response of MAX_ENTRIES IPv6 records. */
  int MAX_ENCODED_LENGTH = 2 + MAX_ENTRIES * AddressRecord.IPV6_LENGTH;

  byte[] encode();

  /** Asks for at most {@code wanted} addresses (1..MAX_ENTRIES). */
  record Request(int wanted) implements PeerExchangeMessage {
    public Request {
      if (wanted < 1 || wanted > MAX_ENTRIES) {
        throw new IllegalArgumentException("wanted must be 1.." + MAX_ENTRIES + ", got " + wanted);
      }
    }

    @Override
    public byte[] encode() {
      return new byte[] {KIND_REQUEST, (byte) wanted};
    }
  }

  /** Answers a request; the entries have distinct ids. */
  record Response(List<Entry> entries) implements PeerExchangeMessage {
    public Response {
      entries = List.copyOf(entries);
      if (entries.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException(
            "at most " + MAX_ENTRIES + " entries, got " + entries.size());
      }
    }

    @Override
    public byte[] encode() {
      ByteWriter w = new ByteWriter().u8(KIND_RESPONSE).u8(entries.size());
      for (Entry e : entries) {
        w.bytes(e.id()).u8(e.ip().length == 4 ? 4 : 6).bytes(e.ip()).u16(e.port());
      }
      return w.toByteArray();
    }
  }

  /**
   * Answers a request on an addr/1 connection: records signed by the nodes they describe, distinct
   * ids.
   */
  record SignedResponse(List<AddressRecord> records) implements PeerExchangeMessage {
    public SignedResponse {
      records = List.copyOf(records);
      if (records.size() > MAX_ENTRIES) {
        throw new IllegalArgumentException(
            "at most " + MAX_ENTRIES + " records, got " + records.size());
      }
    }

    @Override
    public byte[] encode() {
      ByteWriter w = new ByteWriter().u8(KIND_SIGNED_RESPONSE).u8(records.size());
      records.forEach(r -> r.writeTo(w));
      return w.toByteArray();
    }
  }

  /** The sender's own current record, sent after the handshake and whenever it changes (addr/1). */
  record OwnRecord(AddressRecord record) implements PeerExchangeMessage {
    @Override
    public byte[] encode() {
      return record.writeTo(new ByteWriter().u8(KIND_OWN_RECORD)).toByteArray();
    }
  }

  /** A node id (32-byte Ed25519 key) and a dialable IPv4 (4 bytes) or IPv6 (16 bytes) address. */
  record Entry(byte[] id, byte[] ip, int port) {
    public Entry {
      if (id.length != ID_LENGTH) {
        throw new IllegalArgumentException("id must be " + ID_LENGTH + " bytes");
      }
      if (ip.length != 4 && ip.length != 16) {
        throw new IllegalArgumentException("ip must be 4 or 16 bytes");
      }
      if (port < 1 || port > 0xffff) {
        throw new IllegalArgumentException("port must be 1..65535, got " + port);
      }
      id = id.clone();
      ip = ip.clone();
    }

    @Override
    public byte[] id() {
      return id.clone();
    }

    @Override
    public byte[] ip() {
      return ip.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry e
          && Arrays.equals(id, e.id)
          && Arrays.equals(ip, e.ip)
          && port == e.port;
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(id) * 31 + Arrays.hashCode(ip) * 17 + port;
    }

    @Override
    public String toString() {
      return "Entry[" + Arrays.toString(ip) + ":" + port + "]";
    }
  }

  /**
   * Decodes one message.
   *
   * @throws WireFormatException on an unknown kind, a count over {@link #MAX_ENTRIES}, an unknown
   *     address family, port 0, an IPv4-mapped IPv6 address, a repeated id, or trailing bytes
   */
  static PeerExchangeMessage decode(byte[] bytes) throws WireFormatException {
    if (bytes.length > MAX_ENCODED_LENGTH) {
      throw new WireFormatException(
          "peer exchange: " + bytes.length + " bytes, over " + MAX_ENCODED_LENGTH);
    }
    ByteReader r = new ByteReader(bytes);
    int kind = r.u8("pex.kind");
    PeerExchangeMessage message =
        switch (kind) {
          case KIND_REQUEST -> {
            int wanted = r.u8("pex.wanted");
            if (wanted < 1 || wanted > MAX_ENTRIES) {
              throw new WireFormatException("pex.wanted: " + wanted + " is not 1.." + MAX_ENTRIES);
            }
            yield new Request(wanted);
          }
          case KIND_RESPONSE -> new Response(entries(r));
          case KIND_SIGNED_RESPONSE -> new SignedResponse(records(r));
          case KIND_OWN_RECORD -> new OwnRecord(AddressRecord.read(r));
          default -> throw new WireFormatException("pex.kind: unknown " + kind);
        };
    r.expectEnd("peer exchange message");
    return message;
  }

  private static List<AddressRecord> records(ByteReader r) throws WireFormatException {
    int count = r.u8("pex.count");
    if (count > MAX_ENTRIES) {
      throw new WireFormatException("pex.count: " + count + " is over " + MAX_ENTRIES);
    }
    List<AddressRecord> out = new ArrayList<>(count);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      AddressRecord record = AddressRecord.read(r);
      if (!ids.add(Arrays.toString(record.id()))) {
        throw new WireFormatException("pex.record.id: repeated");
      }
      out.add(record);
    }
    return out;
  }

  private static List<Entry> entries(ByteReader r) throws WireFormatException {
    int count = r.u8("pex.count");
    if (count > MAX_ENTRIES) {
      throw new WireFormatException("pex.count: " + count + " is over " + MAX_ENTRIES);
    }
    List<Entry> out = new ArrayList<>(count);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      byte[] id = r.bytes(ID_LENGTH, "pex.entry.id");
      int family = r.u8("pex.entry.family");
      if (family != 4 && family != 6) {
        throw new WireFormatException("pex.entry.family: unknown " + family);
      }
      byte[] ip = r.bytes(family == 4 ? 4 : 16, "pex.entry.ip");
      int port = r.u16("pex.entry.port");
      if (port == 0) {
        throw new WireFormatException("pex.entry.port: 0");
      }
      if (family == 6 && isV4Mapped(ip)) {
        throw new WireFormatException("pex.entry.ip: IPv4-mapped IPv6 (use family 4)");
      }
      if (!ids.add(Arrays.toString(id))) {
        throw new WireFormatException("pex.entry.id: repeated");
      }
      out.add(new Entry(id, ip, port));
    }
    return out;
  }

  /** True for an IPv4-mapped IPv6 address (::ffff:a.b.c.d), which must travel as family 4. */
  static boolean isV4Mapped(byte[] ip) {
    for (int i = 0; i < 10; i++) {
      if (ip[i] != 0) {
        return false;
      }
    }
    return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
  }
}
