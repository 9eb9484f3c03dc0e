package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random and mutated bytes into the responder and initiator machines and the handshake splitter:
 * the only thing that may come out is a {@link HandshakeFailure}, and buffering stays bounded.
 */
class HandshakeFuzzTest {

  private static final HandshakeCredentials RESPONDER = HandshakeMachineTest.node("net");
  private static final HandshakeCredentials INITIATOR = HandshakeMachineTest.node("net");

  @Property(tries = 1000)
  void responderSurvivesRandomMessages(
      @ForAll("messages") byte[] first, @ForAll("messages") byte[] second) {
    HandshakeMachine responder = HandshakeMachine.responder(RESPONDER);
    try {
      responder.onMessage(first);
      responder.onMessage(second);
    } catch (HandshakeFailure expected) {
      assertThat(expected.reason()).isNotNull();
    }
  }

  @Property(tries = 1000)
  void responderSurvivesMutatedGenuineMessages(
      @ForAll @IntRange(min = 0, max = 400) int position,
      @ForAll @IntRange(min = 1, max = 255) int flip,
      @ForAll boolean mutateThird)
      throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(INITIATOR, null);
    HandshakeMachine responder = HandshakeMachine.responder(RESPONDER);
    byte[] msg1 = initiator.start();
    try {
      if (!mutateThird) {
        msg1[position % msg1.length] ^= (byte) flip;
        responder.onMessage(msg1);
        return;
      }
      byte[] msg3 = initiator.onMessage(responder.onMessage(msg1).reply()).reply();
      msg3[position % msg3.length] ^= (byte) flip;
      responder.onMessage(msg3);
      throw new AssertionError("a mutated message 3 was accepted");
    } catch (HandshakeFailure expected) {
      assertThat(expected.reason()).isNotNull();
    }
  }

  @Property(tries = 1000)
  void initiatorSurvivesRandomReplies(@ForAll("messages") byte[] reply) throws Exception {
    HandshakeMachine initiator = HandshakeMachine.initiator(INITIATOR, null);
    initiator.start();
    try {
      initiator.onMessage(reply);
      throw new AssertionError("a random message 2 was accepted");
    } catch (HandshakeFailure expected) {
      assertThat(expected.reason()).isNotNull();
    }
  }

  @Property(tries = 500)
  void splitterNeverBuffersMoreThanItsBound(@ForAll("chunks") java.util.List<byte[]> chunks) {
    HandshakeMessageReader reader = new HandshakeMessageReader();
    try {
      for (byte[] chunk : chunks) {
        reader.feed(chunk);
        while (reader.next() != null) {
          // drain every complete message
        }
        assertThat(reader.buffered()).isLessThanOrEqualTo(HandshakeMessageReader.MAX_BUFFERED);
      }
    } catch (HandshakeFailure expected) {
      assertThat(expected.reason()).isIn(HandshakeError.MALFORMED, HandshakeError.TOO_LARGE);
    }
  }

  @Provide
  Arbitrary<byte[]> messages() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(600);
  }

  @Provide
  Arbitrary<java.util.List<byte[]>> chunks() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMinSize(0)
        .ofMaxSize(70_000)
        .list()
        .ofMaxSize(6);
  }
}
