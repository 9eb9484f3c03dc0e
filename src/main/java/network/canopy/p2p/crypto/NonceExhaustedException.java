package network.canopy.p2p.crypto;

/**
 * A {@link CipherState} reached the reserved nonce 2^64-1 and will not encrypt or decrypt again;
 * the connection must be closed (this implementation never rekeys).
 */
public final class NonceExhaustedException extends CryptoException {
  private static final long serialVersionUID = 1L;

  public NonceExhaustedException(String message) {
    super(message);
  }
}
