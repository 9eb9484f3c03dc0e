package network.canopy.p2p.conn;

import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.FrameError;
import network.canopy.p2p.wire.PacketError;

/**
 * Why an authenticated connection ended; logged once and counted. {@link #peerFault()} marks the
 * reasons where the peer broke the protocol and so deserves a reputation cost.
 */
public enum CloseReason {
  /** This node closed it on purpose (shutdown, duplicate, operator request). */
  LOCAL(false),
  /** The peer closed the TCP connection. */
  REMOTE_CLOSED(false),
  /** A socket error (reset, broken pipe). */
  IO_ERROR(false),
  /** A frame's length field was too short to hold a tag. */
  FRAME_TOO_SHORT(true),
  /** A frame's length field was over the maximum. */
  FRAME_TOO_LONG(true),
  /** A frame failed authentication: tampered, truncated, replayed or reordered. */
  FRAME_BAD_TAG(true),
  /** A direction's nonces are used up; Canopy closes instead of rekeying. */
  NONCE_EXHAUSTED(false),
  /** The code handling a frame failed; closed to stay safe. */
  INTERNAL_ERROR(false),
  /** A packet named a topic missing from this node's table (and not 0 or 255). */
  UNKNOWN_TOPIC(true),
  /** A packet broke the packet layout or the START/END sequence of its topic. */
  MALFORMED_PACKET(true),
  /** A START header announced more than this node's limit for the topic. */
  MESSAGE_TOO_LARGE(true),
  /** A message carried more data than it announced, or ended with less. */
  LENGTH_MISMATCH(true),
  /**
   * The peer held part of a message in this node's memory budget, with no packet of it for the
   * stall deadline, while the budget was short (docs/PROTOCOL.md §11.2).
   */
  STALLED_MESSAGE(true),
  /** No frame arrived from the peer for the heartbeat timeout. */
  HEARTBEAT_TIMEOUT(false),
  /** The peer said GOODBYE (its reason is the detail) before closing. */
  GOODBYE(false);

  private final boolean peerFault;

  CloseReason(boolean peerFault) {
    this.peerFault = peerFault;
  }

  public boolean peerFault() {
    return peerFault;
  }

  /** The close reason for a frame codec failure. */
  public static CloseReason of(FrameError error) {
    return switch (error) {
      case TOO_SHORT -> FRAME_TOO_SHORT;
      case TOO_LONG -> FRAME_TOO_LONG;
      case BAD_TAG -> FRAME_BAD_TAG;
      case NONCE_EXHAUSTED -> NONCE_EXHAUSTED;
      case LISTENER_FAILED -> INTERNAL_ERROR;
    };
  }

  /**
   * The GOODBYE this node sends when it closes for this reason: a deliberate close carries the
   * detail as is, others name the reason first so the peer's log says which rule or timeout.
   */
  public ControlMessage.Goodbye goodbye(String detail) {
    if (this == LOCAL) {
      return new ControlMessage.Goodbye(ControlMessage.GOODBYE_NORMAL, detail);
    }
    int code =
        peerFault
            ? ControlMessage.GOODBYE_PROTOCOL_ERROR
            : this == HEARTBEAT_TIMEOUT
                ? ControlMessage.GOODBYE_TIMEOUT
                : ControlMessage.GOODBYE_NORMAL;
    return new ControlMessage.Goodbye(code, this + ": " + detail);
  }

  /** The close reason for a packet rule the peer broke. */
  public static CloseReason of(PacketError error) {
    return switch (error) {
      case UNKNOWN_TOPIC -> UNKNOWN_TOPIC;
      case MALFORMED_PACKET -> MALFORMED_PACKET;
      case MESSAGE_TOO_LARGE -> MESSAGE_TOO_LARGE;
      case LENGTH_MISMATCH -> LENGTH_MISMATCH;
    };
  }
}
