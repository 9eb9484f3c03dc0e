package network.canopy.p2p.crypto;

/**
 * A Noise handshake message was malformed, failed to decrypt, carried a low-order key, or the
 * handshake was used out of turn after an earlier failure.
 */
public final class HandshakeException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public HandshakeException(String message) {
    super(message);
  }

  public HandshakeException(String message, Throwable cause) {
    super(message, cause);
  }
}
