package network.canopy.p2p.gossip;

import java.util.List;
import network.canopy.p2p.wire.PacketFormat;

/**
 * One lazy-push control message (docs/PROTOCOL.md §13.3), as the routing core sees it: IHAVE
 * announces ids the sender holds, GRAFT asks for ids and makes the link eager, PRUNE makes it lazy.
 */
public record LazyControl(Kind kind, int topicId, List<GossipId> ids) {

  /**
   * At most this many ids in one message: 3 + 15 × 32 bytes stays under the 512-byte control limit.
   */
  public static final int MAX_IDS = 15;

  /** The wire types, 0x30..0x32 on topic 0. */
  public enum Kind {
    IHAVE(0x30),
    GRAFT(0x31),
    PRUNE(0x32);

    public final int type;

    Kind(int type) {
      this.type = type;
    }
  }

  public LazyControl {
    ids = List.copyOf(ids);
    if (ids.size() > MAX_IDS) {
      throw new IllegalArgumentException(ids.size() + " ids, at most " + MAX_IDS);
    }
  }

  /**
   * Bytes on the wire: the packet header, type, topic, count and 32 per id (frame overhead aside).
   */
  public int wireBytes() {
    return PacketFormat.START_HEADER_LENGTH + 3 + 32 * ids.size();
  }
}
