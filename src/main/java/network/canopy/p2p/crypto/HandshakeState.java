package network.canopy.p2p.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * Noise HandshakeState (revision 34, section 5.3) for exactly one pattern, {@code
 * Noise_XX_25519_ChaChaPoly_SHA256}: {@code -> e}, {@code <- e, ee, s, es}, {@code -> s, se}. Both
 * roles; after the third message {@link #split()} yields the transport keys.
 *
 * <p>Any malformed, short, oversized or unauthenticated message, and any DH with a low-order key,
 * throws {@link HandshakeException}; the state is then failed for good. Calling write/read out of
 * turn is a programming error and throws {@link IllegalStateException}. Not thread-safe.
 */
public final class HandshakeState {
  public static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";

  /** Noise's limit on any handshake or transport message. */
  public static final int MAX_MESSAGE_LENGTH = 65535;

  private static final int KEY = X25519.KEY_LENGTH;
  private static final int TAG = ChaChaPoly.TAG_LENGTH;

  /** Bytes of messages 1, 2, 3 besides the payload: keys, and tags once there is a cipher key. */
  private static final int[] OVERHEAD = {KEY, KEY + KEY + TAG + TAG, KEY + TAG + TAG};

  /** Which side of the XX pattern this state plays. */
  public enum Role {
    INITIATOR,
    RESPONDER
  }

  private final Role role;
  private final SymmetricState symmetric = new SymmetricState(PROTOCOL_NAME);
  private final X25519KeyPair localStatic;
  private final X25519KeyPair fixedEphemeral;
  private final SecureRandom random;
  private X25519KeyPair localEphemeral;
  private byte[] remoteEphemeral;
  private byte[] remoteStatic;
  private int step;
  private boolean failed;
  private boolean split;

  /**
   * Full constructor.
   *
   * @param fixedEphemeral the ephemeral key to use instead of a random one; only for test vectors,
   *     pass null otherwise
   */
  public HandshakeState(
      Role role,
      X25519KeyPair localStatic,
      byte[] prologue,
      X25519KeyPair fixedEphemeral,
      SecureRandom random) {
    this.role = Objects.requireNonNull(role, "role");
    this.localStatic = Objects.requireNonNull(localStatic, "localStatic");
    this.fixedEphemeral = fixedEphemeral;
    this.random = random != null ? random : new SecureRandom();
    symmetric.mixHash(prologue != null ? prologue : new byte[0]);
  }

  public static HandshakeState initiator(X25519KeyPair localStatic, byte[] prologue) {
    return new HandshakeState(Role.INITIATOR, localStatic, prologue, null, null);
  }

  public static HandshakeState responder(X25519KeyPair localStatic, byte[] prologue) {
    return new HandshakeState(Role.RESPONDER, localStatic, prologue, null, null);
  }

  public Role role() {
    return role;
  }

  /** True when the next call must be {@link #writeMessage}, false when {@link #readMessage}. */
  public boolean isWriteTurn() {
    return (step % 2 == 0) == (role == Role.INITIATOR);
  }

  /** True once all three messages went through. */
  public boolean isComplete() {
    return step == 3;
  }

  public boolean isFailed() {
    return failed;
  }

  /**
   * The peer's static X25519 key: known after message 2 (initiator) or 3 (responder), else null.
   */
  public byte[] remoteStaticPublicKey() {
    return remoteStatic == null ? null : remoteStatic.clone();
  }

  /** The current handshake hash {@code h}. */
  public byte[] handshakeHash() {
    return symmetric.handshakeHash();
  }

  /**
   * Produces the next handshake message carrying {@code payload} (encrypted from message 2 on).
   *
   * @throws IllegalArgumentException if the message would exceed {@link #MAX_MESSAGE_LENGTH}
   * @throws HandshakeException on a low-order peer ephemeral key (DH all zeros)
   */
  public byte[] writeMessage(byte[] payload) throws HandshakeException {
    checkTurn(true);
    int size = OVERHEAD[step] + payload.length;
    if (size > MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "handshake message "
              + (step + 1)
              + " would be "
              + size
              + " bytes, over the Noise maximum "
              + MAX_MESSAGE_LENGTH);
    }
    try {
      byte[] out =
          switch (step) {
            case 0 -> writeE(payload);
            case 1 -> writeEeSEs(payload);
            default -> writeSSe(payload);
          };
      step++;
      return out;
    } catch (CryptoException e) {
      throw fail("writing message " + (step + 1), e);
    }
  }

  /** Reads the whole of {@code message}; see {@link #readMessage(byte[], int, int)}. */
  public byte[] readMessage(byte[] message) throws HandshakeException {
    return readMessage(message, 0, message.length);
  }

  /**
   * Consumes the peer's next handshake message and returns its decrypted payload.
   *
   * @throws HandshakeException if the message is too short or too long, fails authentication, or
   *     carries a key that gives an all-zero DH result
   */
  public byte[] readMessage(byte[] message, int offset, int length) throws HandshakeException {
    Objects.checkFromIndexSize(offset, length, message.length);
    checkTurn(false);
    int minimum = OVERHEAD[step];
    if (length < minimum || length > MAX_MESSAGE_LENGTH) {
      failed = true;
      throw new HandshakeException(
          role
              + " reading message "
              + (step + 1)
              + ": it is "
              + length
              + " bytes; it must be "
              + minimum
              + ".."
              + MAX_MESSAGE_LENGTH);
    }
    try {
      byte[] payload =
          switch (step) {
            case 0 -> readE(message, offset, length);
            case 1 -> readEeSEs(message, offset, length);
            default -> readSSe(message, offset, length);
          };
      step++;
      return payload;
    } catch (CryptoException e) {
      throw fail("reading message " + (step + 1), e);
    }
  }

  /**
   * Noise {@code Split} after the third message: this side's send and receive cipher states (the
   * initiator sends with c1, the responder with c2), the handshake hash and the peer's static key.
   * Callable once; a generated ephemeral private key is wiped.
   */
  public HandshakeResult split() {
    if (!isComplete() || failed || split) {
      throw new IllegalStateException("split() needs a completed handshake and may be called once");
    }
    split = true;
    byte[] hash = symmetric.handshakeHash();
    SymmetricState.Split keys = symmetric.split();
    if (localEphemeral != fixedEphemeral) {
      localEphemeral.destroy();
    }
    return role == Role.INITIATOR
        ? new HandshakeResult(keys.c1(), keys.c2(), hash, remoteStatic)
        : new HandshakeResult(keys.c2(), keys.c1(), hash, remoteStatic);
  }

  // -> e
  private byte[] writeE(byte[] payload) throws CryptoException {
    localEphemeral = fixedEphemeral != null ? fixedEphemeral : X25519.generate(random);
    symmetric.mixHash(localEphemeral.publicKeyUnsafe());
    return concat(localEphemeral.publicKeyUnsafe(), symmetric.encryptAndHash(payload));
  }

  private byte[] readE(byte[] m, int off, int len) throws CryptoException {
    remoteEphemeral = Arrays.copyOfRange(m, off, off + KEY);
    symmetric.mixHash(remoteEphemeral);
    return symmetric.decryptAndHash(m, off + KEY, len - KEY);
  }

  // <- e, ee, s, es
  private byte[] writeEeSEs(byte[] payload) throws CryptoException {
    localEphemeral = fixedEphemeral != null ? fixedEphemeral : X25519.generate(random);
    symmetric.mixHash(localEphemeral.publicKeyUnsafe());
    symmetric.mixKey(X25519.dh(localEphemeral.privateKeyUnsafe(), remoteEphemeral));
    byte[] encryptedStatic = symmetric.encryptAndHash(localStatic.publicKeyUnsafe());
    symmetric.mixKey(X25519.dh(localStatic.privateKeyUnsafe(), remoteEphemeral));
    byte[] encryptedPayload = symmetric.encryptAndHash(payload);
    return concat(localEphemeral.publicKeyUnsafe(), encryptedStatic, encryptedPayload);
  }

  private byte[] readEeSEs(byte[] m, int off, int len) throws CryptoException {
    remoteEphemeral = Arrays.copyOfRange(m, off, off + KEY);
    symmetric.mixHash(remoteEphemeral);
    symmetric.mixKey(X25519.dh(localEphemeral.privateKeyUnsafe(), remoteEphemeral));
    byte[] peerStatic = symmetric.decryptAndHash(m, off + KEY, KEY + TAG);
    symmetric.mixKey(X25519.dh(localEphemeral.privateKeyUnsafe(), peerStatic));
    remoteStatic = peerStatic;
    int used = KEY + KEY + TAG;
    return symmetric.decryptAndHash(m, off + used, len - used);
  }

  // -> s, se
  private byte[] writeSSe(byte[] payload) throws CryptoException {
    byte[] encryptedStatic = symmetric.encryptAndHash(localStatic.publicKeyUnsafe());
    symmetric.mixKey(X25519.dh(localStatic.privateKeyUnsafe(), remoteEphemeral));
    return concat(encryptedStatic, symmetric.encryptAndHash(payload));
  }

  private byte[] readSSe(byte[] m, int off, int len) throws CryptoException {
    byte[] peerStatic = symmetric.decryptAndHash(m, off, KEY + TAG);
    symmetric.mixKey(X25519.dh(localEphemeral.privateKeyUnsafe(), peerStatic));
    remoteStatic = peerStatic;
    return symmetric.decryptAndHash(m, off + KEY + TAG, len - KEY - TAG);
  }

  private void checkTurn(boolean writing) throws HandshakeException {
    if (failed) {
      throw new HandshakeException("handshake already failed; it cannot continue");
    }
    if (isComplete() || isWriteTurn() != writing) {
      throw new IllegalStateException(
          (writing ? "writeMessage" : "readMessage")
              + " called out of turn: "
              + role
              + " at message "
              + (step + 1));
    }
  }

  private HandshakeException fail(String what, CryptoException cause) {
    failed = true;
    return new HandshakeException(role + " " + what + ": " + cause.getMessage(), cause);
  }

  private static byte[] concat(byte[]... parts) {
    int total = 0;
    for (byte[] p : parts) {
      total += p.length;
    }
    byte[] out = new byte[total];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
