package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.crypto.HandshakeState;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;
import org.junit.jupiter.api.Test;

/**
 * Version negotiation and capabilities (docs/PROTOCOL.md §3.4, §4.5): what two nodes of different
 * versions or capability lists agree on, the same on both ends, and what each refuses.
 */
class VersionNegotiationTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final List<TopicInfo> TOPICS =
      List.of(new TopicInfo(1, "consensus", true, 4 << 20));

  private static HandshakeCredentials node(long chainId, Set<String> capabilities) {
    return HandshakeCredentials.create(
        NodeIdentity.generate(RANDOM),
        new NodeMetadata(2, "net", chainId, "10.0.0.1:9001", TOPICS, capabilities),
        RANDOM);
  }

  private static HandshakeFailure refusal(ThrowingStep step) {
    try {
      step.run();
    } catch (HandshakeFailure f) {
      return f;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("not refused");
  }

  private interface ThrowingStep {
    void run() throws Exception;
  }

  @Test
  void twoVersionTwoNodesUseTheCapabilitiesBothAnnounced() throws Exception {
    HandshakeCredentials a = node(1, Set.of("direct/1", "window/1"));
    HandshakeCredentials b = node(1, Set.of("window/1", "lazy/1"));
    SecureSession[] s =
        HandshakeMachineTest.run(
            HandshakeMachine.initiator(a, null), HandshakeMachine.responder(b));

    for (SecureSession session : s) {
      assertThat(session.version()).isEqualTo(2);
      assertThat(session.capabilities()).containsExactly("window/1");
    }
    assertThat(s[0].remoteMetadata().capabilities())
        .containsExactlyInAnyOrder("window/1", "lazy/1");
    assertThat(s[1].remoteMetadata().capabilities())
        .containsExactlyInAnyOrder("direct/1", "window/1");
  }

  @Test
  void anInitiatorOfferingVersionOneGetsVersionOneAndNoCapabilities() throws Exception {
    HandshakeCredentials a = node(1, Set.of("direct/1"));
    HandshakeCredentials b = node(1, Set.of("direct/1"));
    SecureSession[] s =
        HandshakeMachineTest.run(
            HandshakeMachine.initiator(a, null, 1), HandshakeMachine.responder(b));

    for (SecureSession session : s) {
      assertThat(session.version()).isEqualTo(1);
      assertThat(session.capabilities()).isEmpty();
      assertThat(session.remoteMetadata().capabilities()).isEmpty();
    }
  }

  @Test
  void aHelloFromANewerNodeIsAnsweredWithTheNewestVersionSpokenHere() throws Exception {
    HandshakeCredentials b = node(1, Set.of());
    HandshakeMachine responder = HandshakeMachine.responder(b);
    HandshakeState future =
        HandshakeState.initiator(X25519.generate(RANDOM), HandshakeCredentials.prologue("net"));
    byte[] msg2 =
        responder
            .onMessage(future.writeMessage(new ByteWriter().u16(9).str8("net").toByteArray()))
            .reply();
    byte[] payload = future.readMessage(msg2);
    NodeMetadata answered = NodeMetadata.decode(IdentityPayload.decode(payload).metadata());
    assertThat(answered.protocolVersion()).isEqualTo(HandshakeCredentials.MAX_VERSION);
  }

  @Test
  void aHelloOfVersionZeroIsRefused() throws Exception {
    HandshakeMachine responder = HandshakeMachine.responder(node(1, Set.of()));
    HandshakeState old =
        HandshakeState.initiator(X25519.generate(RANDOM), HandshakeCredentials.prologue("net"));
    byte[] hello = old.writeMessage(new ByteWriter().u16(0).str8("net").toByteArray());
    assertThat(refusal(() -> responder.onMessage(hello)).reason())
        .isEqualTo(HandshakeError.VERSION_MISMATCH);
  }

  @Test
  void theInitiatorRefusesAVersionItDidNotOffer() throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(node(1, Set.of()), null, 1);
    X25519KeyPair noiseStatic = X25519.generate(RANDOM);
    HandshakeState responder =
        HandshakeState.responder(noiseStatic, HandshakeCredentials.prologue("net"));
    responder.readMessage(initiator.start());
    byte[] msg2 =
        responder.writeMessage(
            signed(noiseStatic, new NodeMetadata(2, "net", 1, "", TOPICS, Set.of())));
    assertThat(refusal(() -> initiator.onMessage(msg2)).reason())
        .isEqualTo(HandshakeError.VERSION_MISMATCH);
  }

  @Test
  void theResponderRefusesMetadataOfAnotherVersionThanTheHelloAgreed() throws Exception {
    HandshakeMachine responder = HandshakeMachine.responder(node(1, Set.of()));
    X25519KeyPair noiseStatic = X25519.generate(RANDOM);
    HandshakeState initiator =
        HandshakeState.initiator(noiseStatic, HandshakeCredentials.prologue("net"));
    byte[] msg2 =
        responder
            .onMessage(initiator.writeMessage(new ByteWriter().u16(2).str8("net").toByteArray()))
            .reply();
    initiator.readMessage(msg2);
    byte[] msg3 =
        initiator.writeMessage(signed(noiseStatic, new NodeMetadata(1, "net", 1, "", TOPICS)));
    assertThat(refusal(() -> responder.onMessage(msg3)).reason())
        .isEqualTo(HandshakeError.VERSION_MISMATCH);
  }

  @Test
  void aPeerOfAnotherChainIsRefusedWithItsOwnReason() throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(node(1, Set.of()), null);
    HandshakeMachine responder = HandshakeMachine.responder(node(999, Set.of()));
    byte[] msg2 = responder.onMessage(initiator.start()).reply();
    HandshakeFailure f = refusal(() -> initiator.onMessage(msg2));
    assertThat(f.reason()).isEqualTo(HandshakeError.CHAIN_MISMATCH);
    assertThat(f.getMessage()).contains("999");
  }

  @Test
  void capabilityListsRoundTripSortedAndRejectBadNames() throws Exception {
    NodeMetadata m = new NodeMetadata(2, "n", 1, "", List.of(), Set.of("window/1", "direct/1"));
    byte[] bytes = m.encode();
    assertThat(NodeMetadata.decode(bytes)).isEqualTo(m);
    // Sorted on the wire: count 2, then "direct/1" before "window/1".
    assertThat(new String(bytes, bytes.length - 17, 8, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("direct/1");

    for (byte[] bad :
        List.of(
            withCapabilities("ok", "ok"),
            withCapabilities("Upper"),
            withCapabilities(""),
            withCapabilities("a".repeat(33)))) {
      assertThatThrownBy(() -> NodeMetadata.decode(bad)).isInstanceOf(WireFormatException.class);
    }
    ByteWriter tooMany = prefix().u8(33);
    for (int i = 0; i < 33; i++) {
      tooMany.str8("c" + i);
    }
    assertThatThrownBy(() -> NodeMetadata.decode(tooMany.toByteArray()))
        .isInstanceOf(WireFormatException.class);
  }

  private static ByteWriter prefix() {
    return new ByteWriter().u16(2).str8("n").u64(1).str8("").u8(0);
  }

  private static byte[] withCapabilities(String... names) {
    ByteWriter w = prefix().u8(names.length);
    for (String n : names) {
      w.str8(n);
    }
    return w.toByteArray();
  }

  private static byte[] signed(X25519KeyPair noiseStatic, NodeMetadata metadata) {
    NodeIdentity identity = NodeIdentity.generate(RANDOM);
    byte[] encoded = metadata.encode();
    byte[] signature =
        identity.sign(IdentityPayload.signatureInput(noiseStatic.publicKey(), encoded));
    return new IdentityPayload(identity.publicKey(), signature, encoded).encode();
  }
}
