package network.canopy.p2p.wire;

import java.nio.charset.StandardCharsets;

/**
 * The encrypted payload of handshake messages 2 and 3: the sender's Ed25519 identity key, its
 * signature binding that identity to the sender's Noise static key and metadata, and the metadata.
 * Layout and signature input: docs/PROTOCOL.md, "Identity payload".
 */
public record IdentityPayload(byte[] identityKey, byte[] signature, byte[] metadata) {

  public static final int VERSION = 1;
  public static final int KEY_LENGTH = 32;
  public static final int SIGNATURE_LENGTH = 64;

  /** Domain separation for the identity signature; no terminator, exactly these ASCII bytes. */
  public static final byte[] SIGNATURE_CONTEXT =
      "canopy-p2p/1 noise-static-key".getBytes(StandardCharsets.US_ASCII);

  /** The bytes the identity key signs: context || Noise static public key || metadata. */
  public static byte[] signatureInput(byte[] noiseStaticPublicKey, byte[] metadata) {
    byte[] input =
        new byte[SIGNATURE_CONTEXT.length + noiseStaticPublicKey.length + metadata.length];
    System.arraycopy(SIGNATURE_CONTEXT, 0, input, 0, SIGNATURE_CONTEXT.length);
    System.arraycopy(
        noiseStaticPublicKey, 0, input, SIGNATURE_CONTEXT.length, noiseStaticPublicKey.length);
    System.arraycopy(
        metadata,
        0,
        input,
        SIGNATURE_CONTEXT.length + noiseStaticPublicKey.length,
        metadata.length);
    return input;
  }

  public byte[] encode() {
    return new ByteWriter()
        .u8(VERSION)
        .bytes(identityKey)
        .bytes(signature)
        .u16(metadata.length)
        .bytes(metadata)
        .toByteArray();
  }

  public static IdentityPayload decode(byte[] bytes) throws WireFormatException {
    ByteReader r = new ByteReader(bytes);
    int version = r.u8("identity.version");
    if (version != VERSION) {
      throw new WireFormatException("identity.version: unsupported " + version);
    }
    byte[] key = r.bytes(KEY_LENGTH, "identity.key");
    byte[] signature = r.bytes(SIGNATURE_LENGTH, "identity.signature");
    int metadataLength = r.u16("identity.metadataLength");
    byte[] metadata = r.bytes(metadataLength, "identity.metadata");
    r.expectEnd("identity payload");
    return new IdentityPayload(key, signature, metadata);
  }
}
