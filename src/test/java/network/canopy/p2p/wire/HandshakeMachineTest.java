package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import network.canopy.p2p.crypto.NodeIdentity;
import org.junit.jupiter.api.Test;

/** The handshake state machine without sockets: both roles, the session it yields, its refusals. */
class HandshakeMachineTest {

  private static final SecureRandom RANDOM = new SecureRandom();

  static HandshakeCredentials node(String network) {
    return node(NodeIdentity.generate(RANDOM), network);
  }

  static HandshakeCredentials node(NodeIdentity identity, String network) {
    NodeMetadata metadata =
        new NodeMetadata(
            1,
            network,
            42,
            "10.1.2.3:9001",
            List.of(
                new TopicInfo(1, "consensus", true, 4 << 20),
                new TopicInfo(3, "block_request", false, 1 << 20)));
    return HandshakeCredentials.create(identity, metadata, RANDOM);
  }

  /** Runs a whole exchange; returns {initiator session, responder session}. */
  static SecureSession[] run(HandshakeMachine initiator, HandshakeMachine responder)
      throws Exception {
    byte[] msg1 = initiator.start();
    HandshakeMachine.Step s2 = responder.onMessage(msg1);
    assertThat(s2.session()).isNull();
    HandshakeMachine.Step s3 = initiator.onMessage(s2.reply());
    assertThat(s3.session()).isNotNull();
    HandshakeMachine.Step end = responder.onMessage(s3.reply());
    assertThat(end.reply()).isNull();
    return new SecureSession[] {s3.session(), end.session()};
  }

  @Test
  void bothSidesLearnEachOthersIdAndSignedMetadataAndShareKeys() throws Exception {
    HandshakeCredentials a = node("net");
    HandshakeCredentials b = node("net");
    SecureSession[] s =
        run(HandshakeMachine.initiator(a, b.nodeId()), HandshakeMachine.responder(b));

    assertThat(s[0].remoteId()).isEqualTo(b.nodeId());
    assertThat(s[1].remoteId()).isEqualTo(a.nodeId());
    assertThat(s[0].remoteMetadata()).isEqualTo(b.metadata());
    assertThat(s[1].remoteMetadata()).isEqualTo(a.metadata());
    assertThat(s[0].handshakeHash()).isEqualTo(s[1].handshakeHash());
    byte[] sealed = new FrameEncoder(s[0].send()).seal("ping".getBytes());
    byte[][] opened = new byte[1][];
    new FrameDecoder(
            s[1].receive(),
            (buf, off, len) -> opened[0] = java.util.Arrays.copyOfRange(buf, off, off + len))
        .feed(sealed);
    assertThat(opened[0]).isEqualTo("ping".getBytes());
  }

  @Test
  void responderRefusesAnotherNetworkAtTheHello() throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(node("net-a"), null);
    HandshakeMachine responder = HandshakeMachine.responder(node("net-b"));
    assertThatThrownBy(() -> responder.onMessage(initiator.start()))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.NETWORK_MISMATCH));
  }

  @Test
  void initiatorRefusesAnUnexpectedId() throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(node("net"), node("net").nodeId());
    HandshakeMachine responder = HandshakeMachine.responder(node("net"));
    byte[] msg2 = responder.onMessage(initiator.start()).reply();
    assertThatThrownBy(() -> initiator.onMessage(msg2))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.UNEXPECTED_PEER_ID));
  }

  @Test
  void bothSidesRefuseThemselves() throws Exception {
    NodeIdentity me = NodeIdentity.generate(RANDOM);
    HandshakeMachine initiator = HandshakeMachine.initiator(node(me, "net"), null);
    HandshakeMachine responder = HandshakeMachine.responder(node(me, "net"));
    byte[] msg2 = responder.onMessage(initiator.start()).reply();
    assertThatThrownBy(() -> initiator.onMessage(msg2))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.SELF_CONNECTION));
  }

  @Test
  void tamperedMessageTwoFailsAuthentication() throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(node("net"), null);
    HandshakeMachine responder = HandshakeMachine.responder(node("net"));
    byte[] msg2 = responder.onMessage(initiator.start()).reply();
    msg2[msg2.length - 1] ^= 1;
    assertThatThrownBy(() -> initiator.onMessage(msg2))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.DECRYPT_FAILED));
  }

  @Test
  void lowOrderEphemeralKeyIsRefusedAsWeak() throws Exception {
    HandshakeMachine responder = HandshakeMachine.responder(node("net"));
    byte[] hello = new ByteWriter().u16(1).str8("net").toByteArray();
    byte[] msg1 = new byte[32 + hello.length]; // e = all zeros, a low-order point
    System.arraycopy(hello, 0, msg1, 32, hello.length);
    assertThatThrownBy(() -> responder.onMessage(msg1))
        .isInstanceOfSatisfying(
            HandshakeFailure.class, f -> assertThat(f.reason()).isEqualTo(HandshakeError.WEAK_KEY));
  }

  @Test
  void shortOrExtraMessagesAreMalformed() throws Exception {
    HandshakeMachine responder = HandshakeMachine.responder(node("net"));
    assertThatThrownBy(() -> responder.onMessage(new byte[5]))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.MALFORMED));

    HandshakeMachine a = HandshakeMachine.initiator(node("net"), null);
    HandshakeMachine b = HandshakeMachine.responder(node("net"));
    run(a, b);
    assertThatThrownBy(() -> b.onMessage(new byte[64]))
        .isInstanceOfSatisfying(
            HandshakeFailure.class,
            f -> assertThat(f.reason()).isEqualTo(HandshakeError.MALFORMED));
  }
}
