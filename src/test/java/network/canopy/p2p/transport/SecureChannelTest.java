package network.canopy.p2p.transport;

import static network.canopy.p2p.transport.ChannelFixture.await;
import static network.canopy.p2p.transport.ChannelFixture.credentials;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.ChannelFixture.Listener;
import network.canopy.p2p.transport.ChannelFixture.Peer;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeError;
import network.canopy.p2p.wire.HandshakeFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The handshake and encrypted frames over real loopback sockets, and every way they refuse. */
class SecureChannelTest {

  private static final long TIMEOUT_MS = 3_000;
  private final ChannelFixture net = new ChannelFixture();
  private final LogCapture logs =
      LogCapture.of(SocketHandshake.class, network.canopy.p2p.conn.EncryptedConn.class);

  @AfterEach
  void tearDown() throws Exception {
    logs.close();
    net.close();
  }

  @Test
  void twoNodesAuthenticateEachOtherAndExchangeFramesBothWays() throws Exception {
    HandshakeCredentials a = credentials("canopy-test");
    HandshakeCredentials b = credentials("canopy-test");
    Listener listener = net.listen(b, TIMEOUT_MS);

    Peer dialer = await(net.dial(listener.port, a, b.nodeId(), TIMEOUT_MS));
    Peer acceptor = listener.nextPeer();

    assertThat(dialer.conn.remoteId()).isEqualTo(b.nodeId());
    assertThat(acceptor.conn.remoteId()).isEqualTo(a.nodeId());
    assertThat(acceptor.conn.remoteMetadata()).isEqualTo(a.metadata());
    assertThat(dialer.conn.outbound()).isTrue();
    assertThat(acceptor.conn.outbound()).isFalse();

    for (int i = 0; i < 20; i++) {
      dialer.send(("a->b " + i).getBytes(StandardCharsets.UTF_8));
      acceptor.send(("b->a " + i).getBytes(StandardCharsets.UTF_8));
    }
    byte[] big = new byte[65519];
    Arrays.fill(big, (byte) 7);
    dialer.send(big);
    for (int i = 0; i < 20; i++) {
      assertThat(new String(acceptor.inbox.nextFrame(), StandardCharsets.UTF_8))
          .isEqualTo("a->b " + i);
      assertThat(new String(dialer.inbox.nextFrame(), StandardCharsets.UTF_8))
          .isEqualTo("b->a " + i);
    }
    assertThat(acceptor.inbox.nextFrame()).isEqualTo(big);

    dialer.close();
    assertThat(dialer.inbox.awaitClose()).isEqualTo(CloseReason.LOCAL);
    assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.REMOTE_CLOSED);
  }

  @Test
  void differentNetworkIsRefused() throws Exception {
    Listener listener = net.listen(credentials("network-b"), TIMEOUT_MS);
    assertRefused(net.dial(listener.port, credentials("network-a"), null, TIMEOUT_MS));
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.NETWORK_MISMATCH);
    logs.awaitLine("NETWORK_MISMATCH");
  }

  @Test
  void wrongExpectedIdIsRefusedByTheDialer() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    String someoneElse = credentials("canopy-test").nodeId();
    HandshakeFailure failure =
        assertRefused(net.dial(listener.port, credentials("canopy-test"), someoneElse, TIMEOUT_MS));
    assertThat(failure.reason()).isEqualTo(HandshakeError.UNEXPECTED_PEER_ID);
    logs.awaitLine("UNEXPECTED_PEER_ID");
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.CLOSED);
  }

  @Test
  void badIdentitySignatureIsRefused() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    var noiseStatic = RawPeer.newStatic();
    byte[] payload =
        RawPeer.signedPayload(
            NodeIdentity.generate(ChannelFixture.RANDOM),
            noiseStatic.publicKey(),
            credentials("canopy-test").metadata());
    payload[1 + 32 + 10] ^= 0x01; // a bit inside the signature
    NetSocket socket = await(net.connect(listener.port));
    await(RawPeer.initiate(net.vertx, socket, "canopy-test", noiseStatic, payload));
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.BAD_SIGNATURE);
    logs.awaitLine("BAD_SIGNATURE");
  }

  @Test
  void identityBoundToAnotherStaticKeyIsRefused() throws Exception {
    // A valid signature, but over a Noise static key other than the one used in this handshake.
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    byte[] payload =
        RawPeer.signedPayload(
            NodeIdentity.generate(ChannelFixture.RANDOM),
            RawPeer.newStatic().publicKey(),
            credentials("canopy-test").metadata());
    NetSocket socket = await(net.connect(listener.port));
    await(RawPeer.initiate(net.vertx, socket, "canopy-test", RawPeer.newStatic(), payload));
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.BAD_SIGNATURE);
  }

  @Test
  void flippedBitInAnyFrameClosesTheConnection() throws Exception {
    for (int position :
        new int[] {2, 10, 2 + 5 + 15}) { // first ciphertext byte, middle, last tag byte
      Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
      RawPeer raw = rawClient(listener.port);
      Peer acceptor = listener.nextPeer();
      byte[] good = raw.seal("hello".getBytes(StandardCharsets.UTF_8));
      raw.writeRaw(good);
      assertThat(acceptor.inbox.nextFrame()).asString().isEqualTo("hello");
      byte[] bad = raw.seal("world".getBytes(StandardCharsets.UTF_8));
      bad[position] ^= 0x40;
      raw.writeRaw(bad);
      assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.FRAME_BAD_TAG);
      assertThat(acceptor.inbox.frames).isEmpty();
    }
    logs.awaitLine("FRAME_BAD_TAG");
  }

  @Test
  void replayedFrameClosesTheConnection() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    RawPeer raw = rawClient(listener.port);
    Peer acceptor = listener.nextPeer();
    byte[] frame = raw.seal("pay me once".getBytes(StandardCharsets.UTF_8));
    raw.writeRaw(frame);
    assertThat(acceptor.inbox.nextFrame()).asString().isEqualTo("pay me once");
    raw.writeRaw(frame);
    assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.FRAME_BAD_TAG);
    assertThat(acceptor.inbox.frames).isEmpty();
  }

  @Test
  void truncatedFrameIsNeverDelivered() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    RawPeer raw = rawClient(listener.port);
    Peer acceptor = listener.nextPeer();
    byte[] first = raw.seal("first message".getBytes(StandardCharsets.UTF_8));
    byte[] second = raw.seal("second".getBytes(StandardCharsets.UTF_8));
    // The first frame loses its last 4 bytes: the decoder reads into the second and the tag fails.
    byte[] stream = new byte[first.length - 4 + second.length];
    System.arraycopy(first, 0, stream, 0, first.length - 4);
    System.arraycopy(second, 0, stream, first.length - 4, second.length);
    raw.writeRaw(stream);
    assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.FRAME_BAD_TAG);
    assertThat(acceptor.inbox.frames).isEmpty();
  }

  @Test
  void frameCutShortByTheSocketClosingIsNeverDelivered() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    RawPeer raw = rawClient(listener.port);
    Peer acceptor = listener.nextPeer();
    byte[] frame = raw.seal("never whole".getBytes(StandardCharsets.UTF_8));
    raw.writeRaw(Arrays.copyOf(frame, frame.length - 1));
    raw.close();
    assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.REMOTE_CLOSED);
    assertThat(acceptor.inbox.frames).isEmpty();
  }

  @Test
  void frameLengthBelowTheTagClosesTheConnection() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    RawPeer raw = rawClient(listener.port);
    Peer acceptor = listener.nextPeer();
    raw.writeRaw(new byte[] {0, 15, 1, 2, 3});
    assertThat(acceptor.inbox.awaitClose()).isEqualTo(CloseReason.FRAME_TOO_SHORT);
  }

  @Test
  void handshakeLengthOverTheMaximumIsRefusedBeforeBuffering() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    NetSocket socket = await(net.connect(listener.port));
    socket.write(Buffer.buffer(new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.TOO_LARGE);
    logs.awaitLine("TOO_LARGE");
  }

  @Test
  void garbageInsteadOfAHandshakeIsRefused() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    NetSocket socket = await(net.connect(listener.port));
    byte[] garbage = new byte[2 + 64];
    ChannelFixture.RANDOM.nextBytes(garbage);
    garbage[0] = 0;
    garbage[1] = 64; // a plausible length, then 64 random bytes as "message 1"
    socket.write(Buffer.buffer(garbage));
    assertThat(listener.nextRefusal())
        .isIn(
            HandshakeError.MALFORMED,
            HandshakeError.VERSION_MISMATCH,
            HandshakeError.NETWORK_MISMATCH);
  }

  @Test
  void peerThatStopsMidHandshakeIsClosedAtTheDeadline() throws Exception {
    Listener listener = net.listen(credentials("canopy-test"), 300);
    NetSocket socket = await(net.connect(listener.port));
    var closed = new java.util.concurrent.CompletableFuture<Long>();
    socket.closeHandler(v -> closed.complete(System.nanoTime()));
    long start = System.nanoTime();
    // Message 1 only; message 3 never comes.
    var hs =
        network.canopy.p2p.crypto.HandshakeState.initiator(
            RawPeer.newStatic(), HandshakeCredentials.prologue("canopy-test"));
    socket.write(
        Buffer.buffer(
            network.canopy.p2p.wire.HandshakeMessageReader.frame(
                hs.writeMessage(RawPeer.hello("canopy-test")))));
    assertThat(listener.nextRefusal()).isEqualTo(HandshakeError.TIMEOUT);
    long closedAt = closed.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat((closedAt - start) / 1_000_000).isGreaterThanOrEqualTo(250);
    logs.awaitLine("TIMEOUT");
  }

  @Test
  void connectionToSelfIsRefused() throws Exception {
    NodeIdentity me = NodeIdentity.generate(ChannelFixture.RANDOM);
    HandshakeCredentials mine = ChannelFixture.credentials(me, "canopy-test");
    Listener listener = net.listen(mine, TIMEOUT_MS);
    HandshakeFailure failure = assertRefused(net.dial(listener.port, mine, null, TIMEOUT_MS));
    assertThat(failure.reason()).isEqualTo(HandshakeError.SELF_CONNECTION);
    logs.awaitLine("SELF_CONNECTION");
  }

  @Test
  void relayPresentingItsOwnIdentityIsRefused() throws Exception {
    // The relay terminates the dialer's handshake with its own keys (and would re-encrypt towards
    // the real node): the dialer, which asked for the real node's id, sees the relay's id instead.
    HandshakeCredentials real = credentials("canopy-test");
    Listener relay = net.listen(credentials("canopy-test"), TIMEOUT_MS);
    HandshakeFailure failure =
        assertRefused(net.dial(relay.port, credentials("canopy-test"), real.nodeId(), TIMEOUT_MS));
    assertThat(failure.reason()).isEqualTo(HandshakeError.UNEXPECTED_PEER_ID);
  }

  @Test
  void relayReplayingTheRealNodesIdentityIsRefused() throws Exception {
    // The relay first handshakes with the real node to capture its signed identity payload, then
    // presents that payload to the dialer with its own Noise static key.
    HandshakeCredentials real = credentials("canopy-test");
    Listener realListener = net.listen(real, TIMEOUT_MS);
    NetSocket toReal = await(net.connect(realListener.port));
    var relayStatic = RawPeer.newStatic();
    byte[] relayOwnPayload =
        RawPeer.signedPayload(
            NodeIdentity.generate(ChannelFixture.RANDOM), relayStatic.publicKey(), real.metadata());
    byte[] capturedRealPayload =
        await(RawPeer.initiate(net.vertx, toReal, "canopy-test", relayStatic, relayOwnPayload))
            .remotePayload;

    var server =
        net.vertx
            .createNetServer()
            .connectHandler(
                socket -> RawPeer.respond(socket, "canopy-test", relayStatic, capturedRealPayload));
    int relayPort = await(server.listen(0, "127.0.0.1")).actualPort();
    HandshakeFailure failure =
        assertRefused(net.dial(relayPort, credentials("canopy-test"), real.nodeId(), TIMEOUT_MS));
    assertThat(failure.reason()).isEqualTo(HandshakeError.BAD_SIGNATURE);
  }

  private RawPeer rawClient(int port) throws Exception {
    var noiseStatic = RawPeer.newStatic();
    byte[] payload =
        RawPeer.signedPayload(
            NodeIdentity.generate(ChannelFixture.RANDOM),
            noiseStatic.publicKey(),
            credentials("canopy-test").metadata().atVersion(1)); // a version-1 peer, like its hello
    NetSocket socket = await(net.connect(port));
    return await(RawPeer.initiate(net.vertx, socket, "canopy-test", noiseStatic, payload));
  }

  private static HandshakeFailure assertRefused(io.vertx.core.Future<?> dial) {
    Throwable[] caught = new Throwable[1];
    assertThatThrownBy(() -> await(dial))
        .isInstanceOf(ExecutionException.class)
        .satisfies(e -> caught[0] = e.getCause());
    assertThat(caught[0]).isInstanceOf(HandshakeFailure.class);
    return (HandshakeFailure) caught[0];
  }
}
