package network.canopy.p2p.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;

/**
 * Builds handshake contents from fuzzer input: hellos, node metadata and identity payloads that are
 * either raw bytes or well-formed and correctly signed, so the fuzzer reaches the checks that sit
 * behind Noise's encryption and the signature (which random bytes never pass).
 */
final class FuzzedHandshakeInputs {

  static final String NETWORK = "net";
  static final NodeIdentity LOCAL_IDENTITY = NodeIdentity.fromSeed(seed(1));
  static final NodeIdentity REMOTE_IDENTITY = NodeIdentity.fromSeed(seed(2));
  static final HandshakeCredentials LOCAL =
      HandshakeCredentials.create(
          LOCAL_IDENTITY,
          new NodeMetadata(
              HandshakeCredentials.MAX_VERSION,
              NETWORK,
              7,
              "127.0.0.1:9001",
              List.of(new TopicInfo(1, "consensus", true, 1 << 20))),
          new SecureRandom());
  static final X25519KeyPair REMOTE_STATIC = X25519.fromPrivateKey(seed(3));

  private FuzzedHandshakeInputs() {}

  /** The network name a peer claims: usually ours, sometimes anything. */
  static String network(FuzzedDataProvider data) {
    return data.consumeBoolean() ? NETWORK : data.consumeString(12);
  }

  /** Message 1's payload: a well-formed hello with fuzzed fields, or raw bytes. */
  static byte[] hello(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      return data.consumeBytes(data.consumeInt(0, 300));
    }
    return new ByteWriter().u16(data.consumeInt(0, 3)).str8(network(data)).toByteArray();
  }

  /** An identity payload for message 2 or 3, signed for {@code noiseStatic} or raw bytes. */
  static byte[] identityPayload(FuzzedDataProvider data, byte[] noiseStaticPublic) {
    switch (data.consumeInt(0, 3)) {
      case 0:
        return data.consumeBytes(data.consumeInt(0, 600));
      case 1:
        return signed(
            data, REMOTE_IDENTITY, noiseStaticPublic, data.consumeBytes(data.consumeInt(0, 400)));
      case 2:
        // Signed over another key: a payload lifted from some other handshake.
        return signed(data, REMOTE_IDENTITY, seed(9), metadata(data));
      default:
        NodeIdentity who = data.consumeInt(0, 7) == 0 ? LOCAL_IDENTITY : REMOTE_IDENTITY;
        return signed(data, who, noiseStaticPublic, metadata(data));
    }
  }

  /** Well-formed metadata with fuzzed fields, sometimes with its bytes cut or flipped. */
  static byte[] metadata(FuzzedDataProvider data) {
    List<TopicInfo> topics = new ArrayList<>();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      topics.add(
          new TopicInfo(
              data.consumeInt(0, 255),
              data.consumeString(16),
              data.consumeBoolean(),
              data.consumeLong(0, Long.MAX_VALUE)));
    }
    byte[] encoded;
    try {
      encoded =
          new NodeMetadata(
                  data.consumeInt(0, 3),
                  network(data),
                  data.consumeLong(),
                  data.consumeString(40),
                  topics)
              .encode();
    } catch (IllegalArgumentException tooLongForTheFormat) {
      return new byte[0];
    }
    if (encoded.length > 0 && data.consumeBoolean()) {
      encoded[data.consumeInt(0, encoded.length - 1)] ^= data.consumeByte();
    }
    return encoded;
  }

  private static byte[] signed(
      FuzzedDataProvider data, NodeIdentity identity, byte[] noiseStaticPublic, byte[] metadata) {
    byte[] signature = identity.sign(IdentityPayload.signatureInput(noiseStaticPublic, metadata));
    if (data.consumeInt(0, 15) == 0) {
      signature[data.consumeInt(0, signature.length - 1)] ^= 1;
    }
    return new IdentityPayload(identity.publicKey(), signature, metadata).encode();
  }

  /** Flips one fuzzer-chosen byte of {@code message} when the fuzzer asks to. */
  static byte[] maybeCorrupt(FuzzedDataProvider data, byte[] message) {
    if (message.length > 0 && data.consumeInt(0, 3) == 0) {
      message[data.consumeInt(0, message.length - 1)] ^= (byte) data.consumeInt(1, 255);
    }
    return message;
  }

  static byte[] seed(int n) {
    byte[] seed = new byte[32];
    seed[0] = (byte) n;
    seed[31] = 0x40;
    return seed;
  }
}
