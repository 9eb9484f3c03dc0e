package network.canopy.p2p.wire;

/**
 * Why a {@link FrameDecoder} or {@link FrameEncoder} gave up, so the transport can log and count a
 * distinct reason before closing the connection.
 */
public enum FrameError {
  /** Length field below 16 (0 included): too short to hold even the authentication tag. */
  TOO_SHORT,
  /** Length field above the decoder's configured maximum. */
  TOO_LONG,
  /** Authentication failed: a flipped bit, a truncated or replayed frame, or the wrong key. */
  BAD_TAG,
  /** The cipher state reached nonce 2^64-1; the connection must be closed (no rekey). */
  NONCE_EXHAUSTED,
  /** The frame listener threw; the rest of that chunk was dropped and the stream is unusable. */
  LISTENER_FAILED
}
