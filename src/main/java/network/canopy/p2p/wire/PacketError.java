package network.canopy.p2p.wire;

/**
 * Why a {@link PacketDecoder} refused a frame's packets (docs/PROTOCOL.md §10); each closes the
 * connection with its own reason, and each is the sending peer's fault.
 */
public enum PacketError {
  /** A packet names a topic that is not in this node's table and is not 0 or 255. */
  UNKNOWN_TOPIC,
  /**
   * Unknown flag bits, a START while a message is in progress, a continuation with none, a header
   * or data running past the frame's end, or a control message that does not parse.
   */
  MALFORMED_PACKET,
  /** A START header announces more than this node's limit for the topic. */
  MESSAGE_TOO_LARGE,
  /** More data than total_length, or END with fewer bytes than total_length. */
  LENGTH_MISMATCH
}
