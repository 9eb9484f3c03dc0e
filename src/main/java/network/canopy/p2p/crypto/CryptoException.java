package network.canopy.p2p.crypto;

/**
 * A cryptographic operation was refused: bad input, failed authentication or an exhausted nonce.
 * Checked on purpose, so every caller on the network path has to decide to close the connection.
 */
public class CryptoException extends Exception {
  private static final long serialVersionUID = 1L;

  public CryptoException(String message) {
    super(message);
  }

  public CryptoException(String message, Throwable cause) {
    super(message, cause);
  }
}
