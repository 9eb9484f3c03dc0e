package network.canopy.p2p.wire;

import java.util.Set;
import network.canopy.p2p.crypto.CipherState;

/**
 * The outcome of a completed handshake: the authenticated peer (id and signed metadata), the
 * capabilities both sides announced, and this side's transport cipher states (nonces start at 0).
 */
public record SecureSession(
    String remoteId,
    NodeMetadata remoteMetadata,
    Set<String> capabilities,
    CipherState send,
    CipherState receive,
    byte[] handshakeHash) {

  public SecureSession {
    capabilities = Set.copyOf(capabilities);
  }

  /** The protocol version this connection speaks (both sides' metadata carry it). */
  public int version() {
    return remoteMetadata.protocolVersion();
  }
}
