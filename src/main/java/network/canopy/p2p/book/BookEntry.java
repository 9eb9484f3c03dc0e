package network.canopy.p2p.book;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.WireFormatException;

/**
 * One potential peer in the book: its id, the address it can be dialled at, how the node learned of
 * it, and the dial history that drives backoff and eviction. Times are epoch milliseconds, 0 for
 * never. Mutable, owned by the {@link PeerBook}.
 */
final class BookEntry {

  /** How the node learned of a peer. */
  enum Source {
    /** {@code p2p.dial}: kept by the redialer, never evicted. */
    CONFIG,
    /** A peer-exchange response: unproven until a handshake at the address succeeds. */
    EXCHANGE,
    /** The peer connected to this node (observed IP, advertised port). */
    INBOUND,
    /** An operator's dial ({@code /api/dial}, must-connect). */
    DIAL;

    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  final String id;
  HostPort address;
  Source source;
  long firstSeen;

  /** Last time a handshake proved this id at this address. */
  long lastSeen;

  long lastAttempt;
  int failures;
  long bannedUntil;

  /** When a connection to this peer last ended; not saved (a restart may reconnect at once). */
  long lastDisconnect;

  /**
   * The network group of the peer that told us of this address (its own group when it connected).
   */
  String sourceGroup;

  /** In the tried table: a dial of this node proved the id at the address. */
  boolean tried;

  /**
   * The peer's own signed record of this entry's address (addr/1), kept to pass on unchanged; null
   * when none is known or the entry's address has moved away from it.
   */
  AddressRecord record;

  /**
   * Where the entry sits in the address tables; null for configured entries. Not saved: recomputed.
   */
  AddressTables.Slot slot;

  BookEntry(String id, HostPort address, Source source, long now) {
    this.id = id;
    this.address = address;
    this.source = source;
    this.firstSeen = now;
  }

  boolean verified() {
    return lastSeen > 0;
  }

  boolean banned(long now) {
    return bannedUntil > now;
  }

  PeerAddress peerAddress() {
    return new PeerAddress(id, address);
  }

  /** The {@code /api/book} and {@code peerbook.json} form; never-happened times are null. */
  JsonObject toJson() {
    return new JsonObject()
        .put("id", id)
        .put("address", address.toString())
        .put("source", source.json())
        .put("firstSeen", firstSeen)
        .put("lastSeen", orNull(lastSeen))
        .put("lastAttempt", orNull(lastAttempt))
        .put("failures", failures)
        .put("bannedUntil", orNull(bannedUntil))
        .put("sourceGroup", sourceGroup)
        .put("tried", tried)
        .put("record", record == null ? null : Base64.getEncoder().encodeToString(record.encode()));
  }

  /** The record when it still states this entry's address, else null. */
  AddressRecord currentRecord() {
    return record != null && AddressRecords.states(record, address) ? record : null;
  }

  /**
   * Reads an entry written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException naming the first bad field
   */
  static BookEntry fromJson(JsonObject json) {
    try {
      String id = PeerAddress.normalizeId(json.getString("id"));
      HostPort address = HostPort.parse(json.getString("address"));
      Source source = Source.valueOf(json.getString("source").toUpperCase(Locale.ROOT));
      BookEntry e = new BookEntry(id, address, source, time(json, "firstSeen"));
      e.lastSeen = time(json, "lastSeen");
      e.lastAttempt = time(json, "lastAttempt");
      e.failures = Math.max(0, json.getInteger("failures", 0));
      e.bannedUntil = time(json, "bannedUntil");
      e.sourceGroup = json.getString("sourceGroup");
      e.tried = json.getBoolean("tried", false);
      e.record = record(json.getString("record"), id);
      return e;
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("bad book entry: " + e.getMessage());
    }
  }

  /**
   * A saved record, if it is one, of this id, and verifies; anything else is dropped (the entry
   * stays).
   */
  private static AddressRecord record(String base64, String id) {
    if (base64 == null) {
      return null;
    }
    try {
      AddressRecord r = AddressRecord.decode(Base64.getDecoder().decode(base64));
      return r.verifies() && Arrays.equals(r.id(), HexFormat.of().parseHex(id)) ? r : null;
    } catch (IllegalArgumentException | WireFormatException e) {
      return null;
    }
  }

  private static long time(JsonObject json, String field) {
    Long value = json.getLong(field);
    return value == null ? 0 : Math.max(0, value);
  }

  private static Long orNull(long time) {
    return time == 0 ? null : time;
  }
}
