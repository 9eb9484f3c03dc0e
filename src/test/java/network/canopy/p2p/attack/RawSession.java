package network.canopy.p2p.attack;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.util.List;
import network.canopy.p2p.crypto.HandshakeState;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;
import network.canopy.p2p.wire.ByteWriter;
import network.canopy.p2p.wire.FrameEncoder;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeMessageReader;
import network.canopy.p2p.wire.IdentityPayload;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.TopicInfo;

/**
 * A handshake done by hand from the protocol's public pieces, so the attacker holds the frame
 * encoder and the exact bytes it sent: it can flood, replay and lie about lengths after
 * authenticating as a fresh, validly signed identity.
 */
final class RawSession {

  private static final SecureRandom RANDOM = new SecureRandom();

  final NetSocket socket;
  final FrameEncoder encoder;

  /** Message 1 and message 3 as sent (with their length prefixes), for replay on other sockets. */
  final byte[] transcript;

  private RawSession(NetSocket socket, FrameEncoder encoder, byte[] transcript) {
    this.socket = socket;
    this.encoder = encoder;
    this.transcript = transcript;
  }

  /**
   * Runs the initiator side on {@code socket} (call on its context) as a new identity on {@code
   * network}, speaking protocol version 1 as a peer that predates version negotiation would.
   */
  static Future<RawSession> open(NetSocket socket, String network) {
    return open(socket, network, java.util.Set.of());
  }

  /**
   * Like {@link #open(NetSocket, String)}; with {@code capabilities}, speaks version 2 and
   * announces them (a peer that then ignores what they promise, e.g. window/1's windows).
   */
  static Future<RawSession> open(
      NetSocket socket, String network, java.util.Set<String> capabilities) {
    return open(socket, network, capabilities, List.of());
  }

  /** Like the above, announcing {@code topics} (so the node will send on them). */
  static Future<RawSession> open(
      NetSocket socket,
      String network,
      java.util.Set<String> capabilities,
      List<TopicInfo> topics) {
    int version = capabilities.isEmpty() ? 1 : 2;
    NodeIdentity identity = NodeIdentity.generate(RANDOM);
    X25519KeyPair noiseStatic = X25519.generate(RANDOM);
    byte[] metadata =
        (version == 1
                ? new NodeMetadata(1, network, 1, "", topics)
                : new NodeMetadata(2, network, 1, "", topics, capabilities))
            .encode();
    byte[] signature =
        identity.sign(IdentityPayload.signatureInput(noiseStatic.publicKey(), metadata));
    byte[] payload = new IdentityPayload(identity.publicKey(), signature, metadata).encode();
    HandshakeState hs =
        HandshakeState.initiator(noiseStatic, HandshakeCredentials.prologue(network));
    HandshakeMessageReader reader = new HandshakeMessageReader();
    Promise<RawSession> done = Promise.promise();
    try {
      byte[] msg1 =
          HandshakeMessageReader.frame(
              hs.writeMessage(new ByteWriter().u16(version).str8(network).toByteArray()));
      socket.handler(
          chunk -> {
            try {
              reader.feed(chunk.getBytes());
              byte[] msg2 = reader.next();
              if (msg2 == null || done.future().isComplete()) {
                return;
              }
              hs.readMessage(msg2);
              byte[] msg3 = HandshakeMessageReader.frame(hs.writeMessage(payload));
              socket.write(Buffer.buffer(msg3));
              socket.handler(ignored -> {}); // what the node sends afterwards (pings) is not read
              done.complete(
                  new RawSession(
                      socket,
                      new FrameEncoder(hs.split().send()),
                      Buffer.buffer(msg1).appendBytes(msg3).getBytes()));
            } catch (Exception e) {
              done.tryFail(e);
            }
          });
      socket.write(Buffer.buffer(msg1));
    } catch (Exception e) {
      done.tryFail(e);
    }
    return done.future();
  }

  /** A genuine message 1 (length-prefixed) from a throwaway initiator: what slowloris trickles. */
  static byte[] firstMessage(String network) throws Exception {
    HandshakeState hs =
        HandshakeState.initiator(X25519.generate(RANDOM), HandshakeCredentials.prologue(network));
    return HandshakeMessageReader.frame(
        hs.writeMessage(new ByteWriter().u16(1).str8(network).toByteArray()));
  }

  /** A frame header announcing 65535 bytes followed by only 100: a frame that never completes. */
  static byte[] partialFrame() {
    byte[] bytes = new byte[102];
    bytes[0] = (byte) 0xff;
    bytes[1] = (byte) 0xff;
    return bytes;
  }

  /** A sealed frame carrying one whole message on {@code topic}. */
  byte[] messageFrame(int topic, byte[] message) throws Exception {
    byte[] plaintext = new byte[PacketFormat.START_HEADER_LENGTH + message.length];
    int at =
        PacketFormat.writeHeader(
            plaintext,
            0,
            topic,
            PacketFormat.FLAG_START | PacketFormat.FLAG_END,
            message.length,
            message.length);
    System.arraycopy(message, 0, plaintext, at, message.length);
    return encoder.seal(plaintext);
  }

  /**
   * A sealed frame with one packet of {@code data} bytes on {@code topic} (START claims {@code
   * total}).
   */
  byte[] packetFrame(int topic, boolean start, long total, int data) throws Exception {
    byte[] plaintext = new byte[PacketFormat.headerLength(start) + data];
    PacketFormat.writeHeader(plaintext, 0, topic, start ? PacketFormat.FLAG_START : 0, total, data);
    return encoder.seal(plaintext);
  }

  /** A sealed frame opening a message that claims {@code total} bytes but carries a few. */
  byte[] oversizedClaimFrame(int topic, long total) throws Exception {
    byte[] plaintext = new byte[PacketFormat.START_HEADER_LENGTH + 8];
    PacketFormat.writeHeader(plaintext, 0, topic, PacketFormat.FLAG_START, total, 8);
    return encoder.seal(plaintext);
  }
}
