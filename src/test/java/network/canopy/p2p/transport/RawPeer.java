package network.canopy.p2p.transport;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import network.canopy.p2p.crypto.HandshakeResult;
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

/**
 * A peer built from the protocol's public pieces (docs/PROTOCOL.md) rather than SocketHandshake, so
 * tests can put wrong things on the wire: forged identity payloads, tampered or replayed frames.
 */
final class RawPeer {

  final NetSocket socket;
  final FrameEncoder encoder;

  /** The identity payload the other side sent in its handshake message (decrypted). */
  final byte[] remotePayload;

  private final Context context;

  private RawPeer(NetSocket socket, FrameEncoder encoder, byte[] remotePayload, Context context) {
    this.socket = socket;
    this.encoder = encoder;
    this.remotePayload = remotePayload;
    this.context = context;
  }

  /** A correctly signed identity payload for {@code noiseStatic}. */
  static byte[] signedPayload(
      NodeIdentity identity, byte[] noiseStaticPublic, NodeMetadata metadata) {
    byte[] encoded = metadata.encode();
    byte[] signature = identity.sign(IdentityPayload.signatureInput(noiseStaticPublic, encoded));
    return new IdentityPayload(identity.publicKey(), signature, encoded).encode();
  }

  static byte[] hello(String network) {
    return new ByteWriter().u16(1).str8(network).toByteArray();
  }

  /** Runs the initiator side by hand, sending {@code payload} as its identity in message 3. */
  static Future<RawPeer> initiate(
      Vertx vertx, NetSocket socket, String network, X25519KeyPair noiseStatic, byte[] payload) {
    Promise<RawPeer> done = Promise.promise();
    HandshakeState hs =
        HandshakeState.initiator(noiseStatic, HandshakeCredentials.prologue(network));
    HandshakeMessageReader reader = new HandshakeMessageReader();
    Context context = vertx.getOrCreateContext();
    socket.handler(
        chunk -> {
          try {
            reader.feed(chunk.getBytes());
            byte[] msg2 = reader.next();
            if (msg2 == null || done.future().isComplete()) {
              return;
            }
            byte[] remote = hs.readMessage(msg2);
            write(socket, HandshakeMessageReader.frame(hs.writeMessage(payload)));
            HandshakeResult keys = hs.split();
            socket.handler(null);
            done.complete(new RawPeer(socket, new FrameEncoder(keys.send()), remote, context));
          } catch (Exception e) {
            done.tryFail(e);
          }
        });
    try {
      write(socket, HandshakeMessageReader.frame(hs.writeMessage(hello(network))));
    } catch (Exception e) {
      done.tryFail(e);
    }
    return done.future();
  }

  /**
   * Answers one initiator by hand: reads message 1, replies with {@code payload} as its identity.
   */
  static void respond(NetSocket socket, String network, X25519KeyPair noiseStatic, byte[] payload) {
    HandshakeState hs =
        HandshakeState.responder(noiseStatic, HandshakeCredentials.prologue(network));
    HandshakeMessageReader reader = new HandshakeMessageReader();
    socket.handler(
        chunk -> {
          try {
            reader.feed(chunk.getBytes());
            byte[] msg1 = reader.next();
            if (msg1 != null) {
              hs.readMessage(msg1);
              write(socket, HandshakeMessageReader.frame(hs.writeMessage(payload)));
              socket.handler(null);
            }
          } catch (Exception e) {
            socket.close();
          }
        });
  }

  static X25519KeyPair newStatic() {
    return X25519.generate(ChannelFixture.RANDOM);
  }

  /** Seals one frame with this peer's send key (advances its nonce). */
  byte[] seal(byte[] plaintext) throws Exception {
    return encoder.seal(plaintext);
  }

  void writeRaw(byte[] bytes) {
    context.runOnContext(v -> socket.write(Buffer.buffer(bytes)));
  }

  void close() {
    context.runOnContext(v -> socket.close());
  }

  private static void write(NetSocket socket, byte[] bytes) {
    socket.write(Buffer.buffer(bytes));
  }
}
