package network.canopy.p2p.book;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.IpLiterals;
import network.canopy.p2p.wire.AddressRecord;

/**
 * The rules for signed address records (docs/PROTOCOL.md §17): how far a timestamp may lie in the
 * future or the past, how often a node re-signs its own, and whether a record states a book entry's
 * address, and keeping a record with its entry. Times are Unix seconds.
 */
final class AddressRecords {

  /** A record stamped further ahead than this (clock skew allowance) is not used. */
  static final long MAX_FUTURE_SECONDS = 10 * 60;

  /** A record older than this is not used, kept as new, or passed on. */
  static final long MAX_AGE_SECONDS = 7 * 24 * 3600;

  /** A node re-signs its own record at least this often, so live nodes never age out. */
  static final long REFRESH_SECONDS = 24 * 3600;

  private AddressRecords() {}

  /** True when the timestamp is within the bounds at {@code nowSeconds}. */
  static boolean fresh(AddressRecord record, long nowSeconds) {
    return record.timestamp() <= nowSeconds + MAX_FUTURE_SECONDS
        && record.timestamp() >= nowSeconds - MAX_AGE_SECONDS;
  }

  /** The record's address as the book writes addresses. */
  static HostPort address(AddressRecord record) {
    try {
      return new HostPort(InetAddress.getByAddress(record.ip()).getHostAddress(), record.port());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  /** True when {@code record} states exactly {@code address} (same IP, same port). */
  static boolean states(AddressRecord record, HostPort address) {
    if (address == null || address.port() != record.port()) {
      return false;
    }
    return address.ipLiteral().map(ip -> Arrays.equals(ip.getAddress(), record.ip())).orElse(false);
  }

  /**
   * The IP of an advertised address when it can go into a record: a literal, dialable, not a
   * wildcard.
   */
  static Optional<InetAddress> recordable(HostPort address) {
    if (address == null || address.port() <= 0) {
      return Optional.empty();
    }
    return Optional.ofNullable(IpLiterals.literal(address.host()))
        .filter(ip -> AddressScope.of(ip) != AddressScope.INVALID);
  }

  /** The first record whose signature is not its id's, or null when all verify. */
  static AddressRecord firstForged(List<AddressRecord> records) {
    for (AddressRecord r : records) {
      if (!r.verifies()) {
        return r;
      }
    }
    return null;
  }

  /**
   * Attaches {@code record} to {@code e} when it states e's address and is newer than e's record.
   */
  static boolean keep(BookEntry e, AddressRecord record) {
    if (!states(record, e.address)
        || (e.record != null && e.record.timestamp() >= record.timestamp())) {
      return false;
    }
    e.record = record;
    return true;
  }
}
