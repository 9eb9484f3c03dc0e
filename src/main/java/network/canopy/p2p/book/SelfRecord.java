package network.canopy.p2p.book;

import java.net.InetAddress;
import java.util.Optional;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.wire.AddressRecord;

/**
 * This node's own signed address record (docs/PROTOCOL.md §17.2): signed with its identity key for
 * the address it advertises, re-signed when that address changes and before it is a day old. None
 * while the advertised address is not a dialable IP literal (a wildcard listen address and no
 * external address yet). Owned by the book's context.
 */
final class SelfRecord {

  private final NodeIdentity identity;
  private HostPort advertised;
  private AddressRecord record;

  SelfRecord(NodeIdentity identity) {
    this.identity = identity;
  }

  /** The address the node now advertises; returns true when the record changed. */
  boolean advertise(HostPort address, long nowSeconds) {
    if (address.equals(advertised)) {
      return false;
    }
    advertised = address;
    AddressRecord before = record;
    record =
        AddressRecords.recordable(address)
            .map(ip -> sign(ip, address.port(), nowSeconds))
            .orElse(null);
    return before != null || record != null;
  }

  HostPort advertised() {
    return advertised;
  }

  /**
   * Re-signs a record that has reached {@link AddressRecords#REFRESH_SECONDS}; true when it did.
   */
  boolean refresh(long nowSeconds) {
    if (record == null || nowSeconds - record.timestamp() < AddressRecords.REFRESH_SECONDS) {
      return false;
    }
    record =
        sign(AddressRecords.recordable(advertised).orElseThrow(), advertised.port(), nowSeconds);
    return true;
  }

  Optional<AddressRecord> current() {
    return Optional.ofNullable(record);
  }

  private AddressRecord sign(InetAddress ip, int port, long nowSeconds) {
    return AddressRecord.sign(identity, ip.getAddress(), port, nowSeconds);
  }
}
