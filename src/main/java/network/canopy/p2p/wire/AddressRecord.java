package network.canopy.p2p.wire;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import network.canopy.p2p.crypto.NodeIdentity;

/**
 * A signed address record (capability {@code addr/1}, docs/PROTOCOL.md §17): a node id, an IP and
 * port, and a timestamp, signed with the Ed25519 key the id is. Only the owner of an id can make
 * one, so peer exchange cannot announce an address for an id the announcer does not hold.
 */
public record AddressRecord(byte[] id, byte[] ip, int port, long timestamp, byte[] signature) {

  /** What the signature covers before the record's fields: 27 ASCII bytes, no terminator. */
  public static final byte[] CONTEXT =
      "canopy-p2p/1 address-record".getBytes(StandardCharsets.US_ASCII);

  public static final int SIGNATURE_LENGTH = 64;

  /** Bytes of an IPv4 record and of an IPv6 record. */
  public static final int IPV4_LENGTH = 32 + 1 + 4 + 2 + 8 + SIGNATURE_LENGTH;

  public static final int IPV6_LENGTH = IPV4_LENGTH + 12;

  public AddressRecord {
    if (id.length != PeerExchangeMessage.ID_LENGTH
        || (ip.length != 4 && ip.length != 16)
        || port < 1
        || port > 0xffff
        || signature.length != SIGNATURE_LENGTH) {
      throw new IllegalArgumentException(
          "address record: id 32 bytes, ip 4 or 16, port 1..65535, signature 64");
    }
    id = id.clone();
    ip = ip.clone();
    signature = signature.clone();
  }

  /**
   * A record of {@code identity} at {@code ip}:{@code port}, stamped {@code timestamp} (Unix
   * seconds).
   */
  public static AddressRecord sign(NodeIdentity identity, byte[] ip, int port, long timestamp) {
    byte[] unsigned =
        new AddressRecord(identity.publicKey(), ip, port, timestamp, new byte[SIGNATURE_LENGTH])
            .signedBytes();
    return new AddressRecord(identity.publicKey(), ip, port, timestamp, identity.sign(unsigned));
  }

  /** True when the signature is the id's own over this record; never throws. */
  public boolean verifies() {
    return NodeIdentity.verify(id, signedBytes(), signature);
  }

  /** The context string followed by the record without its signature. */
  byte[] signedBytes() {
    ByteWriter w = new ByteWriter().bytes(CONTEXT);
    fields(w);
    return w.toByteArray();
  }

  private void fields(ByteWriter w) {
    w.bytes(id).u8(ip.length == 4 ? 4 : 6).bytes(ip).u16(port).u64(timestamp);
  }

  /** Appends the record's wire form to {@code w}. */
  public ByteWriter writeTo(ByteWriter w) {
    fields(w);
    return w.bytes(signature);
  }

  /** The wire form alone, as kept in the peer book. */
  public byte[] encode() {
    return writeTo(new ByteWriter()).toByteArray();
  }

  /** Reads one record (not its signature's validity: see {@link #verifies()}). */
  public static AddressRecord read(ByteReader r) throws WireFormatException {
    byte[] id = r.bytes(PeerExchangeMessage.ID_LENGTH, "record.id");
    int family = r.u8("record.family");
    if (family != 4 && family != 6) {
      throw new WireFormatException("record.family: unknown " + family);
    }
    byte[] ip = r.bytes(family == 4 ? 4 : 16, "record.ip");
    if (family == 6 && PeerExchangeMessage.isV4Mapped(ip)) {
      throw new WireFormatException("record.ip: IPv4-mapped IPv6 (use family 4)");
    }
    int port = r.u16("record.port");
    if (port == 0) {
      throw new WireFormatException("record.port: 0");
    }
    long timestamp = r.u64("record.timestamp");
    return new AddressRecord(
        id, ip, port, timestamp, r.bytes(SIGNATURE_LENGTH, "record.signature"));
  }

  /** Decodes exactly one record. */
  public static AddressRecord decode(byte[] bytes) throws WireFormatException {
    ByteReader r = new ByteReader(bytes);
    AddressRecord record = read(r);
    r.expectEnd("address record");
    return record;
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
  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AddressRecord r && Arrays.equals(encode(), r.encode());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "AddressRecord[" + Arrays.toString(ip) + ":" + port + " @" + timestamp + "]";
  }
}
