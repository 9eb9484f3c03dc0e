package network.canopy.p2p.crypto;

/**
 * What a completed Noise XX handshake hands to the transport: this side's send and receive cipher
 * states (nonces at 0), the final handshake hash (a channel-binding value both sides share) and the
 * peer's X25519 static public key.
 */
public record HandshakeResult(
    CipherState send, CipherState receive, byte[] handshakeHash, byte[] remoteStaticPublicKey) {

  @Override
  public byte[] handshakeHash() {
    return handshakeHash.clone();
  }

  @Override
  public byte[] remoteStaticPublicKey() {
    return remoteStaticPublicKey.clone();
  }
}
