package network.canopy.p2p.crypto;

/**
 * Noise CipherState (revision 34, section 5.1): a ChaCha20-Poly1305 key and a 64-bit nonce counter
 * for one direction of a connection. It seals every frame, so the array-with-offset methods do not
 * allocate beyond the JDK's per-call parameter objects.
 *
 * <p><b>Nonce layout</b> (Noise's ChaChaPoly): the 96-bit ChaCha20-Poly1305 nonce is four zero
 * bytes followed by the counter {@code n} as a 64-bit <em>little-endian</em> unsigned integer.
 * {@code n} starts at 0 when a key is set and goes up by one after every successful encryption or
 * decryption; a failed decryption leaves it unchanged (as Noise specifies).
 *
 * <p><b>Nonce exhaustion</b>: Noise reserves {@code n = 2^64-1}. The last usable nonce is {@code
 * 2^64-2}; once {@code n} reaches {@code 2^64-1} every further call throws {@link
 * NonceExhaustedException}. Canopy does not implement Noise's Rekey: a connection whose cipher
 * state is exhausted is closed, and the peers simply handshake again. At one frame per nanosecond
 * that takes over 500 years, so the simpler rule costs nothing in practice.
 *
 * <p>Without a key (the start of a handshake) encryption and decryption copy the input unchanged
 * and leave the nonce alone. Not thread-safe: one owner per direction.
 */
public final class CipherState {
  /** The reserved nonce value 2^64-1, as a signed long. */
  public static final long RESERVED_NONCE = -1L;

  private final byte[] nonceBytes = new byte[ChaChaPoly.NONCE_LENGTH];
  private ChaChaPoly aead;
  private long n;

  /** A cipher state with no key yet (Noise {@code InitializeKey(empty)}). */
  public CipherState() {}

  /** A cipher state with a 32-byte key and nonce 0. */
  public CipherState(byte[] key) {
    initializeKey(key);
  }

  /** Sets a new 32-byte key and resets the nonce to 0. */
  public void initializeKey(byte[] key) {
    this.aead = new ChaChaPoly(key);
    this.n = 0;
  }

  public boolean hasKey() {
    return aead != null;
  }

  /** The next nonce to be used, as an unsigned 64-bit value held in a long. */
  public long nonce() {
    return n;
  }

  /** Noise {@code SetNonce}; tests use it to reach the end of the nonce space. */
  public void setNonce(long nonce) {
    this.n = nonce;
  }

  /**
   * Encrypts {@code length} bytes at {@code in[inOffset]} with associated data {@code ad} (null
   * means empty) into {@code out[outOffset]}; {@code in} and {@code out} may overlap exactly.
   *
   * @return bytes written: {@code length + 16} with a key, {@code length} without
   * @throws NonceExhaustedException if the nonce has reached 2^64-1
   */
  public int encryptWithAd(
      byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws NonceExhaustedException {
    if (aead == null) {
      System.arraycopy(in, inOffset, out, outOffset, length);
      return length;
    }
    int written = aead.seal(nextNonce(), ad, in, inOffset, length, out, outOffset);
    n++;
    return written;
  }

  /**
   * Decrypts and authenticates {@code length} bytes (ciphertext plus tag) at {@code in[inOffset]}
   * into {@code out[outOffset]}.
   *
   * @return plaintext bytes written: {@code length - 16} with a key, {@code length} without
   * @throws BadTagException if authentication fails (tampered, truncated, replayed, wrong key)
   * @throws NonceExhaustedException if the nonce has reached 2^64-1
   */
  public int decryptWithAd(
      byte[] ad, byte[] in, int inOffset, int length, byte[] out, int outOffset)
      throws BadTagException, NonceExhaustedException {
    if (aead == null) {
      System.arraycopy(in, inOffset, out, outOffset, length);
      return length;
    }
    int written = aead.open(nextNonce(), ad, in, inOffset, length, out, outOffset);
    n++;
    return written;
  }

  /** Allocating form of {@link #encryptWithAd(byte[], byte[], int, int, byte[], int)}. */
  public byte[] encryptWithAd(byte[] ad, byte[] plaintext) throws NonceExhaustedException {
    byte[] out = new byte[plaintext.length + (aead == null ? 0 : ChaChaPoly.TAG_LENGTH)];
    encryptWithAd(ad, plaintext, 0, plaintext.length, out, 0);
    return out;
  }

  /** Allocating form of {@link #decryptWithAd(byte[], byte[], int, int, byte[], int)}. */
  public byte[] decryptWithAd(byte[] ad, byte[] ciphertext)
      throws BadTagException, NonceExhaustedException {
    if (aead == null) {
      return ciphertext.clone();
    }
    if (ciphertext.length < ChaChaPoly.TAG_LENGTH) {
      throw new BadTagException(
          "ciphertext of " + ciphertext.length + " bytes is shorter than the tag");
    }
    byte[] out = new byte[ciphertext.length - ChaChaPoly.TAG_LENGTH];
    decryptWithAd(ad, ciphertext, 0, ciphertext.length, out, 0);
    return out;
  }

  /** Fills the reusable nonce buffer: 4 zero bytes, then n little-endian. */
  private byte[] nextNonce() throws NonceExhaustedException {
    if (n == RESERVED_NONCE) {
      throw new NonceExhaustedException(
          "cipher state nonce reached 2^64-1; the connection must be closed (no rekey)");
    }
    long v = n;
    for (int i = 4; i < ChaChaPoly.NONCE_LENGTH; i++) {
      nonceBytes[i] = (byte) v;
      v >>>= 8;
    }
    return nonceBytes;
  }
}
