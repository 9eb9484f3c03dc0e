package network.canopy.p2p.wire;

import java.util.Set;
import network.canopy.p2p.crypto.BadTagException;
import network.canopy.p2p.crypto.Ed25519;
import network.canopy.p2p.crypto.HandshakeException;
import network.canopy.p2p.crypto.HandshakeResult;
import network.canopy.p2p.crypto.HandshakeState;
import network.canopy.p2p.crypto.Hex;

/**
 * The Canopy handshake for one connection, either role, as a byte-in / byte-out state machine with
 * no I/O: Noise XX plus the hello in message 1 and the identity payloads in messages 2 and 3
 * (docs/PROTOCOL.md, "Handshake"). Every refusal is a {@link HandshakeFailure} with its reason.
 */
public final class HandshakeMachine {

  /**
   * What a received message produced: bytes to send back (maybe none) and, at the end, the session.
   */
  public record Step(byte[] reply, SecureSession session) {}

  private final HandshakeCredentials local;
  private final HandshakeState noise;
  private final String expectedRemoteId;

  /** The initiator's offer in its hello (the newest version it will speak). */
  private final int maxVersion;

  /** The version of this connection once known: the responder fixes it from the hello. */
  private int version;

  private int received;

  private HandshakeMachine(
      HandshakeCredentials local,
      HandshakeState.Role role,
      String expectedRemoteId,
      int maxVersion) {
    this.local = local;
    this.expectedRemoteId = expectedRemoteId;
    this.maxVersion = maxVersion;
    byte[] prologue = HandshakeCredentials.prologue(local.metadata().network());
    this.noise =
        role == HandshakeState.Role.INITIATOR
            ? HandshakeState.initiator(local.noiseStatic(), prologue)
            : HandshakeState.responder(local.noiseStatic(), prologue);
  }

  /**
   * The dialing side; {@code expectedRemoteId} (lowercase hex) may be null when any peer will do.
   */
  public static HandshakeMachine initiator(HandshakeCredentials local, String expectedRemoteId) {
    return initiator(local, expectedRemoteId, HandshakeCredentials.MAX_VERSION);
  }

  /**
   * An initiator that offers at most {@code maxVersion}: a dialer retries with version 1 when a
   * peer that predates negotiation hung up on a newer hello (docs/PROTOCOL.md §3.4).
   */
  public static HandshakeMachine initiator(
      HandshakeCredentials local, String expectedRemoteId, int maxVersion) {
    if (maxVersion < HandshakeCredentials.MIN_VERSION
        || maxVersion > HandshakeCredentials.MAX_VERSION) {
      throw new IllegalArgumentException("version " + maxVersion + " is not spoken here");
    }
    return new HandshakeMachine(local, HandshakeState.Role.INITIATOR, expectedRemoteId, maxVersion);
  }

  public static HandshakeMachine responder(HandshakeCredentials local) {
    return new HandshakeMachine(
        local, HandshakeState.Role.RESPONDER, null, HandshakeCredentials.MAX_VERSION);
  }

  /** Message 1 ({@code -> e} with the hello); initiator only. */
  public byte[] start() throws HandshakeFailure {
    byte[] hello = new ByteWriter().u16(maxVersion).str8(local.metadata().network()).toByteArray();
    return write(hello);
  }

  /** Feeds one complete handshake message (without its length prefix). */
  public Step onMessage(byte[] message) throws HandshakeFailure {
    if (message.length > HandshakeState.MAX_MESSAGE_LENGTH) {
      throw new HandshakeFailure(HandshakeError.TOO_LARGE, message.length + " bytes");
    }
    received++;
    boolean initiator = noise.role() == HandshakeState.Role.INITIATOR;
    if (initiator && received == 1) {
      SecureSession session = authenticate(read(message));
      byte[] reply = write(local.identityPayload(version));
      return new Step(reply, finish(session));
    }
    if (!initiator && received == 1) {
      checkHello(read(message));
      return new Step(write(local.identityPayload(version)), null);
    }
    if (!initiator && received == 2) {
      SecureSession session = authenticate(read(message));
      return new Step(null, finish(session));
    }
    throw new HandshakeFailure(
        HandshakeError.MALFORMED, "unexpected handshake message " + received);
  }

  private void checkHello(byte[] hello) throws HandshakeFailure {
    try {
      ByteReader r = new ByteReader(hello);
      int version = r.u16("hello.protocolVersion");
      String network = r.str8("hello.network");
      r.expectEnd("hello");
      if (version < HandshakeCredentials.MIN_VERSION) {
        throw new HandshakeFailure(
            HandshakeError.VERSION_MISMATCH,
            "peer speaks versions up to "
                + version
                + ", this node "
                + HandshakeCredentials.MIN_VERSION
                + " to "
                + HandshakeCredentials.MAX_VERSION);
      }
      this.version = Math.min(version, HandshakeCredentials.MAX_VERSION);
      if (!network.equals(local.metadata().network())) {
        throw new HandshakeFailure(
            HandshakeError.NETWORK_MISMATCH,
            "peer is on network '"
                + network
                + "', this node on '"
                + local.metadata().network()
                + "'");
      }
    } catch (WireFormatException e) {
      throw new HandshakeFailure(HandshakeError.MALFORMED, e.getMessage());
    }
  }

  /** Verifies the peer's identity payload against the Noise static key it proved it holds. */
  private SecureSession authenticate(byte[] payloadBytes) throws HandshakeFailure {
    IdentityPayload payload;
    NodeMetadata metadata;
    try {
      payload = IdentityPayload.decode(payloadBytes);
      metadata = NodeMetadata.decode(payload.metadata());
    } catch (WireFormatException e) {
      throw new HandshakeFailure(HandshakeError.MALFORMED, e.getMessage());
    }
    byte[] signed =
        IdentityPayload.signatureInput(noise.remoteStaticPublicKey(), payload.metadata());
    if (!Ed25519.verify(payload.identityKey(), signed, payload.signature())) {
      throw new HandshakeFailure(
          HandshakeError.BAD_SIGNATURE,
          "identity signature does not verify for key " + Hex.encode(payload.identityKey()));
    }
    String remoteId = Hex.encode(payload.identityKey());
    checkVersion(metadata.protocolVersion());
    if (!metadata.network().equals(local.metadata().network())) {
      throw new HandshakeFailure(
          HandshakeError.NETWORK_MISMATCH,
          "peer metadata names network '" + metadata.network() + "'");
    }
    if (metadata.chainId() != local.metadata().chainId()) {
      throw new HandshakeFailure(
          HandshakeError.CHAIN_MISMATCH,
          "peer is on chain "
              + metadata.chainId()
              + ", this node on chain "
              + local.metadata().chainId());
    }
    if (remoteId.equals(local.nodeId())) {
      throw new HandshakeFailure(HandshakeError.SELF_CONNECTION, "peer is this node");
    }
    if (expectedRemoteId != null && !expectedRemoteId.equals(remoteId)) {
      throw new HandshakeFailure(
          HandshakeError.UNEXPECTED_PEER_ID,
          "expected " + expectedRemoteId + ", peer is " + remoteId);
    }
    Set<String> common =
        Capability.common(local.metadata().capabilities(), metadata.capabilities());
    return new SecureSession(remoteId, metadata, common, null, null, null);
  }

  /**
   * The responder answers the hello with the version both speak; the initiator accepts any version
   * it speaks up to the one its hello offered, and both then sign metadata of that version.
   */
  private void checkVersion(int remote) throws HandshakeFailure {
    boolean initiator = noise.role() == HandshakeState.Role.INITIATOR;
    if (initiator && remote >= HandshakeCredentials.MIN_VERSION && remote <= maxVersion) {
      version = remote;
      return;
    }
    if (!initiator && remote == version) {
      return;
    }
    throw new HandshakeFailure(
        HandshakeError.VERSION_MISMATCH,
        "peer metadata speaks version "
            + remote
            + (initiator
                ? ", this node offered up to " + maxVersion
                : ", the hello agreed on " + version));
  }

  private SecureSession finish(SecureSession authenticated) {
    HandshakeResult keys = noise.split();
    return new SecureSession(
        authenticated.remoteId(),
        authenticated.remoteMetadata(),
        authenticated.capabilities(),
        keys.send(),
        keys.receive(),
        keys.handshakeHash());
  }

  private byte[] write(byte[] payload) throws HandshakeFailure {
    try {
      return noise.writeMessage(payload);
    } catch (HandshakeException e) {
      throw classify(e);
    }
  }

  private byte[] read(byte[] message) throws HandshakeFailure {
    try {
      return noise.readMessage(message);
    } catch (HandshakeException e) {
      throw classify(e);
    }
  }

  /** Maps a Noise failure to its reason: bad size, failed authentication, or a low-order key. */
  private static HandshakeFailure classify(HandshakeException e) {
    Throwable cause = e.getCause();
    if (cause == null) {
      return new HandshakeFailure(HandshakeError.MALFORMED, e.getMessage());
    }
    if (cause instanceof BadTagException) {
      return new HandshakeFailure(HandshakeError.DECRYPT_FAILED, e.getMessage());
    }
    return new HandshakeFailure(HandshakeError.WEAK_KEY, e.getMessage());
  }
}
