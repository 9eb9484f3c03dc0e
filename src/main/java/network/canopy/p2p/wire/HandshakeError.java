package network.canopy.p2p.wire;

/** Why a handshake was refused; each is logged and counted under its own name. */
public enum HandshakeError {
  /** The peer belongs to another network (different prologue / network name). */
  NETWORK_MISMATCH,
  /** The peer's signed metadata names another chain id. */
  CHAIN_MISMATCH,
  /** The peer speaks no protocol version this node speaks. */
  VERSION_MISMATCH,
  /** A handshake message or payload does not follow the format. */
  MALFORMED,
  /** A handshake message failed authentication (tampered, or keys do not match). */
  DECRYPT_FAILED,
  /** The peer's identity signature over its Noise static key and metadata is invalid. */
  BAD_SIGNATURE,
  /** The dialer expected another node id at this address. */
  UNEXPECTED_PEER_ID,
  /** The peer is this node itself. */
  SELF_CONNECTION,
  /** The peer sent a low-order X25519 key. */
  WEAK_KEY,
  /** The whole handshake did not finish within {@code p2p.handshakeTimeoutMs}. */
  TIMEOUT,
  /** The connection closed before the handshake finished. */
  CLOSED,
  /** A handshake message was longer than the protocol allows. */
  TOO_LARGE,
  /** The node's memory budget had no room for what the handshake had to buffer. */
  OVER_BUDGET
}
