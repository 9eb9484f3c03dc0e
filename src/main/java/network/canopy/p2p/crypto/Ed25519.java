package network.canopy.p2p.crypto;

import java.security.SecureRandom;

/**
 * Ed25519 signatures (RFC 8032, pure variant) on BouncyCastle's raw-byte implementation: keys are
 * 32-byte seeds and 32-byte public keys, signatures 64 bytes.
 */
public final class Ed25519 {
  public static final int SEED_LENGTH = 32;
  public static final int PUBLIC_KEY_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  private Ed25519() {}

  /** A fresh random 32-byte private seed. */
  public static byte[] generateSeed(SecureRandom random) {
    byte[] seed = new byte[SEED_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePrivateKey(random, seed);
    return seed;
  }

  /** The public key of a 32-byte private seed. */
  public static byte[] publicKey(byte[] seed) {
    requireLength("seed", seed, SEED_LENGTH);
    byte[] publicKey = new byte[PUBLIC_KEY_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    return publicKey;
  }

  /** Signs {@code message} with the seed; {@code publicKey} must be the seed's own public key. */
  public static byte[] sign(byte[] seed, byte[] publicKey, byte[] message) {
    requireLength("seed", seed, SEED_LENGTH);
    requireLength("public key", publicKey, PUBLIC_KEY_LENGTH);
    byte[] signature = new byte[SIGNATURE_LENGTH];
    org.bouncycastle.math.ec.rfc8032.Ed25519.sign(
        seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /**
   * Verifies {@code signature} over {@code message} by {@code publicKey}. Returns false, never
   * throws, for any malformed input (wrong lengths, nulls, non-canonical encodings), since the
   * inputs come straight off the network.
   */
  public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
    if (publicKey == null
        || publicKey.length != PUBLIC_KEY_LENGTH
        || signature == null
        || signature.length != SIGNATURE_LENGTH
        || message == null) {
      return false;
    }
    try {
      return org.bouncycastle.math.ec.rfc8032.Ed25519.verify(
          signature, 0, publicKey, 0, message, 0, message.length);
    } catch (RuntimeException e) {
      // BouncyCastle validates encodings itself; this only guards against a future version
      // that throws instead of returning false.
      return false;
    }
  }

  private static void requireLength(String what, byte[] bytes, int length) {
    if (bytes == null || bytes.length != length) {
      throw new IllegalArgumentException("Ed25519 " + what + " must be " + length + " bytes");
    }
  }
}
