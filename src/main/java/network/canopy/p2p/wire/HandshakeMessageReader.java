package network.canopy.p2p.wire;

import java.util.Arrays;

/**
 * Splits the handshake phase of a TCP stream into messages, each sent as {@code [u16 BE length]
 * [message]}. Bytes that follow the last handshake message are handed back untouched for the frame
 * decoder. Holds at most {@link #MAX_BUFFERED} bytes: an honest peer never has more in flight (one
 * handshake message, plus early frames the initiator may send right after message 3).
 */
public final class HandshakeMessageReader {

  /**
   * Largest handshake message accepted. Canopy's messages are a few hundred bytes (a node's
   * metadata is bounded well below this), so a larger length claim is refused before buffering.
   */
  public static final int MAX_MESSAGE = 16384;

  /** Bound on buffered handshake-phase bytes: four maximal frames. */
  public static final int MAX_BUFFERED = 4 * WireLimits.MAX_FRAME_BYTES;

  private byte[] pending = new byte[0];

  /**
   * Appends a chunk read from the socket.
   *
   * @throws HandshakeFailure TOO_LARGE when the peer sends more than a handshake can need
   */
  public void feed(byte[] chunk) throws HandshakeFailure {
    if (chunk.length == 0) {
      return;
    }
    if ((long) pending.length + chunk.length > MAX_BUFFERED) {
      throw new HandshakeFailure(
          HandshakeError.TOO_LARGE, "over " + MAX_BUFFERED + " bytes sent during the handshake");
    }
    byte[] joined = Arrays.copyOf(pending, pending.length + chunk.length);
    System.arraycopy(chunk, 0, joined, pending.length, chunk.length);
    pending = joined;
  }

  /**
   * The next complete message, or null when more bytes are needed.
   *
   * @throws HandshakeFailure MALFORMED for a zero length (no handshake message is empty), TOO_LARGE
   *     for a length over {@link #MAX_MESSAGE}
   */
  public byte[] next() throws HandshakeFailure {
    if (pending.length < WireLimits.LENGTH_PREFIX) {
      return null;
    }
    int length = ((pending[0] & 0xff) << 8) | (pending[1] & 0xff);
    if (length == 0) {
      throw new HandshakeFailure(HandshakeError.MALFORMED, "zero-length handshake message");
    }
    if (length > MAX_MESSAGE) {
      throw new HandshakeFailure(
          HandshakeError.TOO_LARGE,
          "handshake message length " + length + " exceeds " + MAX_MESSAGE);
    }
    if (pending.length < WireLimits.LENGTH_PREFIX + length) {
      return null;
    }
    byte[] message =
        Arrays.copyOfRange(pending, WireLimits.LENGTH_PREFIX, WireLimits.LENGTH_PREFIX + length);
    pending = Arrays.copyOfRange(pending, WireLimits.LENGTH_PREFIX + length, pending.length);
    return message;
  }

  /** Bytes received after the last message taken; the start of the encrypted frame stream. */
  public byte[] remainder() {
    return pending.clone();
  }

  /** Bytes held; never above {@link #MAX_BUFFERED}. */
  public int buffered() {
    return pending.length;
  }

  /** Prefixes a handshake message with its u16 big-endian length. */
  public static byte[] frame(byte[] message) {
    if (message.length == 0 || message.length > MAX_MESSAGE) {
      throw new IllegalArgumentException("handshake message of " + message.length + " bytes");
    }
    byte[] out = new byte[WireLimits.LENGTH_PREFIX + message.length];
    out[0] = (byte) (message.length >>> 8);
    out[1] = (byte) message.length;
    System.arraycopy(message, 0, out, WireLimits.LENGTH_PREFIX, message.length);
    return out;
  }
}
