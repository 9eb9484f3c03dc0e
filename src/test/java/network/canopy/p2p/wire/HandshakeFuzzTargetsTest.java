package network.canopy.p2p.wire;

import static network.canopy.p2p.wire.FuzzedHandshakeInputs.LOCAL;
import static network.canopy.p2p.wire.FuzzedHandshakeInputs.REMOTE_STATIC;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import network.canopy.p2p.crypto.HandshakeException;
import network.canopy.p2p.crypto.HandshakeState;
import network.canopy.p2p.fuzz.FuzzStats;

/**
 * Coverage-guided fuzzing (Jazzer) of both handshake roles: raw byte streams through the message
 * splitter, and genuine Noise messages carrying fuzzed hellos, metadata and identity payloads. The
 * only thing allowed out is a {@link HandshakeFailure}; a session comes out only for a peer that
 * signed well-formed metadata for the key it proved. In the normal suite these replay their inputs
 * under src/test/resources; scripts/fuzz.sh fuzzes them.
 */
class HandshakeFuzzTargetsTest {

  private static final FuzzStats RESPONDER_STATS = FuzzStats.of("handshakeResponder");
  private static final FuzzStats INITIATOR_STATS = FuzzStats.of("handshakeInitiator");

  @FuzzTest(maxDuration = "5s")
  void handshakeResponder(FuzzedDataProvider data) throws Exception {
    RESPONDER_STATS.run(
        () -> {
          HandshakeMachine responder = HandshakeMachine.responder(LOCAL);
          try {
            if (data.consumeBoolean()) {
              rawStreamInto(responder, data);
            } else {
              genuineInitiatorTo(responder, data);
            }
          } catch (HandshakeFailure expected) {
            assertThat(expected.reason()).isNotNull();
          } catch (PeerGaveUp over) {
            // The fuzzed peer's own Noise state refused a reply (another network's prologue).
          }
        });
  }

  @FuzzTest(maxDuration = "5s")
  void handshakeInitiator(FuzzedDataProvider data) throws Exception {
    INITIATOR_STATS.run(
        () -> {
          boolean pinned = data.consumeBoolean();
          HandshakeMachine initiator =
              HandshakeMachine.initiator(
                  LOCAL, pinned ? FuzzedHandshakeInputs.REMOTE_IDENTITY.id() : null);
          try {
            byte[] msg1 = initiator.start();
            if (data.consumeBoolean()) {
              HandshakeMachine.Step step =
                  initiator.onMessage(data.consumeBytes(data.consumeInt(0, 700)));
              throw new AssertionError("random bytes completed a handshake: " + step.session());
            }
            genuineResponderTo(initiator, msg1, data);
          } catch (HandshakeFailure expected) {
            assertThat(expected.reason()).isNotNull();
          } catch (PeerGaveUp over) {
            // As above.
          }
        });
  }

  /** Bytes as a socket would deliver them; Noise cannot be completed without the keys. */
  private static void rawStreamInto(HandshakeMachine responder, FuzzedDataProvider data)
      throws HandshakeFailure {
    HandshakeMessageReader reader = new HandshakeMessageReader();
    int chunks = data.consumeInt(1, 4);
    for (int i = 0; i < chunks; i++) {
      reader.feed(data.consumeBytes(data.consumeInt(0, 1200)));
      assertThat(reader.buffered()).isLessThanOrEqualTo(HandshakeMessageReader.MAX_BUFFERED);
      byte[] message;
      while ((message = reader.next()) != null) {
        assertThat(responder.onMessage(message).session()).as("session from raw bytes").isNull();
      }
    }
  }

  private static void genuineInitiatorTo(HandshakeMachine responder, FuzzedDataProvider data)
      throws Exception {
    HandshakeState peer =
        HandshakeState.initiator(
            REMOTE_STATIC, HandshakeCredentials.prologue(FuzzedHandshakeInputs.network(data)));
    byte[] msg1 =
        FuzzedHandshakeInputs.maybeCorrupt(
            data, peer.writeMessage(FuzzedHandshakeInputs.hello(data)));
    HandshakeMachine.Step step2 = responder.onMessage(msg1);
    assertThat(step2.session()).isNull();
    peerRead(peer, step2.reply());
    byte[] payload = FuzzedHandshakeInputs.identityPayload(data, REMOTE_STATIC.publicKey());
    byte[] msg3 = FuzzedHandshakeInputs.maybeCorrupt(data, peer.writeMessage(payload));
    SecureSession session = responder.onMessage(msg3).session();
    assertAuthentic(session, payload);
    responder.onMessage(data.consumeBytes(64)); // a fourth message: must be refused
    throw new AssertionError("a message after the handshake was accepted");
  }

  private static void genuineResponderTo(
      HandshakeMachine initiator, byte[] msg1, FuzzedDataProvider data) throws Exception {
    HandshakeState peer =
        HandshakeState.responder(
            REMOTE_STATIC, HandshakeCredentials.prologue(FuzzedHandshakeInputs.network(data)));
    peerRead(peer, msg1);
    byte[] payload = FuzzedHandshakeInputs.identityPayload(data, REMOTE_STATIC.publicKey());
    byte[] msg2 = FuzzedHandshakeInputs.maybeCorrupt(data, peer.writeMessage(payload));
    HandshakeMachine.Step step3 = initiator.onMessage(msg2);
    assertAuthentic(step3.session(), payload);
    assertThat(peerRead(peer, step3.reply()))
        .isEqualTo(LOCAL.identityPayload(step3.session().version()));
    initiator.onMessage(data.consumeBytes(64));
    throw new AssertionError("a message after the handshake was accepted");
  }

  /**
   * The fuzzed peer reads with its own Noise state; its refusal ends the run (it is not the code
   * under test).
   */
  private static byte[] peerRead(HandshakeState peer, byte[] message) {
    try {
      return peer.readMessage(message);
    } catch (HandshakeException e) {
      throw new PeerGaveUp();
    }
  }

  /** Thrown when the harness's own peer cannot go on. */
  private static final class PeerGaveUp extends RuntimeException {
    PeerGaveUp() {
      super(null, null, false, false);
    }
  }

  /** A session exists only for the signed identity, with the metadata it signed. */
  private static void assertAuthentic(SecureSession session, byte[] payload)
      throws WireFormatException {
    assertThat(session).isNotNull();
    IdentityPayload sent = IdentityPayload.decode(payload);
    assertThat(session.remoteId()).isEqualTo(FuzzedHandshakeInputs.REMOTE_IDENTITY.id());
    assertThat(session.remoteMetadata()).isEqualTo(NodeMetadata.decode(sent.metadata()));
    assertThat(session.remoteMetadata().network()).isEqualTo(FuzzedHandshakeInputs.NETWORK);
  }
}
