package network.canopy.p2p.wire;

import network.canopy.p2p.crypto.CipherState;

/**
 * The outcome of a completed handshake: the authenticated peer (id and signed metadata) and this
 * side's transport cipher states (nonces start at 0).
 */
public record SecureSession(String remoteId, NodeMetadata remoteMetadata, CipherState send,
    CipherState receive, byte[] handshakeHash) {
}
