package network.canopy.p2p.crypto;

import java.util.Arrays;

/**
 * An X25519 key pair as raw 32-byte strings (RFC 7748): the Noise static or ephemeral key.
 * Accessors return copies so no caller can change the key another holds.
 */
public final class X25519KeyPair {
  private final byte[] privateKey;
  private final byte[] publicKey;

  X25519KeyPair(byte[] privateKey, byte[] publicKey) {
    this.privateKey = privateKey.clone();
    this.publicKey = publicKey.clone();
  }

  /** The 32-byte private scalar as given (clamping happens inside every use). */
  public byte[] privateKey() {
    return privateKey.clone();
  }

  /** The 32-byte public u-coordinate. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  byte[] privateKeyUnsafe() {
    return privateKey;
  }

  byte[] publicKeyUnsafe() {
    return publicKey;
  }

  /** Overwrites the private key; for ephemeral keys that are done with. */
  void destroy() {
    Arrays.fill(privateKey, (byte) 0);
  }

  @Override
  public String toString() {
    return "X25519KeyPair[public=" + Hex.encode(publicKey) + "]";
  }
}
