package network.canopy.p2p.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Noise SymmetricState (revision 34, section 5.2) for SHA-256: the chaining key {@code ck}, the
 * handshake hash {@code h} and the handshake's {@link CipherState}. MixKeyAndHash (PSK patterns
 * only) is left out because Canopy uses XX without PSK.
 */
public final class SymmetricState {
  /** Two outgoing cipher states from {@link #split()}: c1 carries initiator to responder. */
  public record Split(CipherState c1, CipherState c2) {}

  private final MessageDigest sha256;
  private final CipherState cipher = new CipherState();
  private byte[] ck;
  private byte[] h;

  /** Noise {@code InitializeSymmetric(protocol_name)}. */
  public SymmetricState(String protocolName) {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("JDK lacks SHA-256", e);
    }
    byte[] name = protocolName.getBytes(StandardCharsets.US_ASCII);
    // A name of at most HASHLEN bytes is zero-padded, a longer one hashed (section 5.2).
    h =
        name.length <= Hkdf.HASH_LENGTH
            ? Arrays.copyOf(name, Hkdf.HASH_LENGTH)
            : sha256.digest(name);
    ck = h.clone();
  }

  /** Noise {@code MixKey}: feeds DH output into the chaining key and sets a new cipher key. */
  public void mixKey(byte[] inputKeyMaterial) {
    byte[][] out = Hkdf.noise(ck, inputKeyMaterial, 2);
    ck = out[0];
    cipher.initializeKey(out[1]);
  }

  /** Noise {@code MixHash}: {@code h = SHA-256(h || data)}. */
  public void mixHash(byte[] data) {
    mixHash(data, 0, data.length);
  }

  /** {@link #mixHash(byte[])} over a slice. */
  public void mixHash(byte[] data, int offset, int length) {
    sha256.update(h);
    sha256.update(data, offset, length);
    h = sha256.digest();
  }

  /** Noise {@code GetHandshakeHash}: a copy of {@code h}. */
  public byte[] handshakeHash() {
    return h.clone();
  }

  public boolean hasKey() {
    return cipher.hasKey();
  }

  /**
   * Noise {@code EncryptAndHash}: encrypts with {@code h} as associated data, then hashes the
   * result.
   */
  public byte[] encryptAndHash(byte[] plaintext) throws NonceExhaustedException {
    byte[] ciphertext = cipher.encryptWithAd(h, plaintext);
    mixHash(ciphertext);
    return ciphertext;
  }

  /**
   * Noise {@code DecryptAndHash} over a slice of a message.
   *
   * @throws BadTagException if the slice fails authentication (or is shorter than a tag)
   */
  public byte[] decryptAndHash(byte[] message, int offset, int length)
      throws BadTagException, NonceExhaustedException {
    byte[] plaintext;
    if (cipher.hasKey()) {
      if (length < ChaChaPoly.TAG_LENGTH) {
        throw new BadTagException("ciphertext of " + length + " bytes is shorter than the tag");
      }
      plaintext = new byte[length - ChaChaPoly.TAG_LENGTH];
    } else {
      plaintext = new byte[length];
    }
    cipher.decryptWithAd(h, message, offset, length, plaintext, 0);
    mixHash(message, offset, length);
    return plaintext;
  }

  /** Noise {@code Split}: the two transport cipher states, keyed from the final chaining key. */
  public Split split() {
    byte[][] keys = Hkdf.noise(ck, new byte[0], 2);
    Split split = new Split(new CipherState(keys[0]), new CipherState(keys[1]));
    Arrays.fill(keys[0], (byte) 0);
    Arrays.fill(keys[1], (byte) 0);
    Arrays.fill(ck, (byte) 0);
    return split;
  }
}
