package network.canopy.p2p.crypto;

/**
 * An AEAD ciphertext failed authentication: it was tampered with, truncated, replayed (wrong nonce)
 * or sealed under another key.
 */
public final class BadTagException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public BadTagException(String message) {
    super(message);
  }

  public BadTagException(String message, Throwable cause) {
    super(message, cause);
  }
}
