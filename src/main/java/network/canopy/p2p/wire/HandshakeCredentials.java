package network.canopy.p2p.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;

/**
 * What this node presents in every handshake: a Noise static key made for this run, and the identity
 * payload signing it, computed once so a handshake costs no Ed25519 signing.
 */
public final class HandshakeCredentials {

  /** Protocol version spoken by this code (docs/PROTOCOL.md). */
  public static final int PROTOCOL_VERSION = 1;
  private static final byte[] PROLOGUE_LABEL = "canopy-p2p/1".getBytes(StandardCharsets.US_ASCII);

  private final NodeIdentity identity;
  private final X25519KeyPair noiseStatic;
  private final NodeMetadata metadata;
  private final byte[] payload;

  private HandshakeCredentials(NodeIdentity identity, X25519KeyPair noiseStatic,
      NodeMetadata metadata, byte[] payload) {
    this.identity = identity;
    this.noiseStatic = noiseStatic;
    this.metadata = metadata;
    this.payload = payload;
  }

  public static HandshakeCredentials create(NodeIdentity identity, NodeMetadata metadata,
      SecureRandom random) {
    X25519KeyPair noiseStatic = X25519.generate(random);
    byte[] encodedMetadata = metadata.encode();
    byte[] signature = identity.sign(
        IdentityPayload.signatureInput(noiseStatic.publicKey(), encodedMetadata));
    byte[] payload = new IdentityPayload(identity.publicKey(), signature, encodedMetadata).encode();
    if (payload.length + 64 > HandshakeMessageReader.MAX_MESSAGE) {
      throw new IllegalArgumentException("node metadata too large for a handshake ("
          + encodedMetadata.length + " bytes): fewer or shorter topics");
    }
    return new HandshakeCredentials(identity, noiseStatic, metadata, payload);
  }

  /** Prologue = "canopy-p2p/1" || 0x00 || UTF-8 network name. */
  public static byte[] prologue(String network) {
    byte[] name = network.getBytes(StandardCharsets.UTF_8);
    byte[] prologue = new byte[PROLOGUE_LABEL.length + 1 + name.length];
    System.arraycopy(PROLOGUE_LABEL, 0, prologue, 0, PROLOGUE_LABEL.length);
    System.arraycopy(name, 0, prologue, PROLOGUE_LABEL.length + 1, name.length);
    return prologue;
  }

  public String nodeId() {
    return identity.id();
  }

  public NodeMetadata metadata() {
    return metadata;
  }

  X25519KeyPair noiseStatic() {
    return noiseStatic;
  }

  byte[] identityPayload() {
    return payload.clone();
  }
}
