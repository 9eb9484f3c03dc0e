package network.canopy.p2p.crypto;

import java.security.SecureRandom;

/**
 * X25519 Diffie-Hellman (RFC 7748) on BouncyCastle's raw-byte implementation, refusing the all-zero
 * shared secret that a low-order public key produces.
 */
public final class X25519 {
  /** Length of private keys, public keys and shared secrets. */
  public static final int KEY_LENGTH = 32;

  private X25519() {}

  /** Generates a fresh key pair from {@code random}. */
  public static X25519KeyPair generate(SecureRandom random) {
    byte[] privateKey = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePrivateKey(random, privateKey);
    return fromPrivateKey(privateKey);
  }

  /** Builds the key pair of a given 32-byte private key (used for fixed test-vector keys). */
  public static X25519KeyPair fromPrivateKey(byte[] privateKey) {
    return new X25519KeyPair(privateKey, publicKey(privateKey));
  }

  /** Derives the public key of a 32-byte private key. */
  public static byte[] publicKey(byte[] privateKey) {
    requireLength("private key", privateKey);
    byte[] publicKey = new byte[KEY_LENGTH];
    org.bouncycastle.math.ec.rfc7748.X25519.generatePublicKey(privateKey, 0, publicKey, 0);
    return publicKey;
  }

  /**
   * Computes the shared secret of {@code privateKey} and a peer's {@code publicKey}.
   *
   * @throws CryptoException if the result is all zeros: the peer sent a low-order point, which
   *     would let it force a known "secret" (RFC 7748 section 6.1 allows this check; Noise too)
   */
  public static byte[] dh(byte[] privateKey, byte[] publicKey) throws CryptoException {
    requireLength("private key", privateKey);
    if (publicKey == null || publicKey.length != KEY_LENGTH) {
      throw new CryptoException("X25519 public key must be " + KEY_LENGTH + " bytes");
    }
    byte[] shared = new byte[KEY_LENGTH];
    boolean nonZero =
        org.bouncycastle.math.ec.rfc7748.X25519.calculateAgreement(
            privateKey, 0, publicKey, 0, shared, 0);
    if (!nonZero) {
      throw new CryptoException(
          "X25519 shared secret is all zeros: peer public key "
              + Hex.encode(publicKey)
              + " is a low-order point");
    }
    return shared;
  }

  private static void requireLength(String what, byte[] key) {
    if (key == null || key.length != KEY_LENGTH) {
      throw new IllegalArgumentException("X25519 " + what + " must be " + KEY_LENGTH + " bytes");
    }
  }
}
