package network.canopy.p2p.wire;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;

/**
 * What this node presents in every handshake: a Noise static key made for this run, and the
 * identity payload signing it for each protocol version it speaks, computed once so a handshake
 * costs no Ed25519 signing.
 */
public final class HandshakeCredentials {

  /** Oldest protocol version this code speaks (docs/PROTOCOL.md §3.4). */
  public static final int MIN_VERSION = 1;

  /** Newest protocol version this code speaks: 2 adds capabilities (§4.5). */
  public static final int MAX_VERSION = 2;

  private static final byte[] PROLOGUE_LABEL = "canopy-p2p/1".getBytes(StandardCharsets.US_ASCII);

  private final NodeIdentity identity;
  private final X25519KeyPair noiseStatic;
  private final NodeMetadata metadata;

  /** Indexed by protocol version; index 0 unused. */
  private final byte[][] payloads;

  private HandshakeCredentials(
      NodeIdentity identity, X25519KeyPair noiseStatic, NodeMetadata metadata, byte[][] payloads) {
    this.identity = identity;
    this.noiseStatic = noiseStatic;
    this.metadata = metadata;
    this.payloads = payloads;
  }

  /**
   * {@code metadata} as spoken at {@link #MAX_VERSION}; the payloads of older versions are derived
   * from it (version 1 without capabilities).
   */
  public static HandshakeCredentials create(
      NodeIdentity identity, NodeMetadata metadata, SecureRandom random) {
    X25519KeyPair noiseStatic = X25519.generate(random);
    byte[][] payloads = new byte[MAX_VERSION + 1][];
    for (int v = MIN_VERSION; v <= MAX_VERSION; v++) {
      payloads[v] = signedPayload(identity, noiseStatic, metadata.atVersion(v));
    }
    return new HandshakeCredentials(
        identity, noiseStatic, metadata.atVersion(MAX_VERSION), payloads);
  }

  private static byte[] signedPayload(
      NodeIdentity identity, X25519KeyPair noiseStatic, NodeMetadata metadata) {
    byte[] encodedMetadata = metadata.encode();
    byte[] signature =
        identity.sign(IdentityPayload.signatureInput(noiseStatic.publicKey(), encodedMetadata));
    byte[] payload = new IdentityPayload(identity.publicKey(), signature, encodedMetadata).encode();
    if (payload.length + 64 > HandshakeMessageReader.MAX_MESSAGE) {
      throw new IllegalArgumentException(
          "node metadata too large for a handshake ("
              + encodedMetadata.length
              + " bytes): fewer or shorter topics");
    }
    return payload;
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

  /** The identity payload for a connection that speaks {@code version}. */
  byte[] identityPayload(int version) {
    return payloads[version].clone();
  }
}
