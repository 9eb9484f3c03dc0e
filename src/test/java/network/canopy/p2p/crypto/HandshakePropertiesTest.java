package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated handshake messages: {@link HandshakeState#readMessage} either returns a
 * payload or throws {@link HandshakeException}, never any other exception, and tampering is always
 * caught.
 */
class HandshakePropertiesTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final X25519KeyPair INITIATOR = X25519.generate(RANDOM);
  private static final X25519KeyPair RESPONDER = X25519.generate(RANDOM);
  private static final byte[] PROLOGUE = {'c', 'a', 'n', 'o', 'p', 'y'};

  @Property(tries = 1000)
  void randomFirstMessagesGiveAPayloadOrAHandshakeException(
      @ForAll @Size(max = 70_000) byte[] message) {
    HandshakeState responder = HandshakeState.responder(RESPONDER, PROLOGUE);
    try {
      byte[] payload = responder.readMessage(message);
      // Message 1 is cleartext: anything from 32 to 65535 bytes is accepted as e || payload.
      assertThat(message.length).isBetween(32, HandshakeState.MAX_MESSAGE_LENGTH);
      assertThat(payload).isEqualTo(Arrays.copyOfRange(message, 32, message.length));
      responder.writeMessage(new byte[0]);
    } catch (HandshakeException e) {
      assertThat(e).hasMessageContaining("RESPONDER").isNotNull();
    }
  }

  @Property(tries = 1000)
  void mutatedLaterMessagesAreRefused(
      @ForAll @IntRange(min = 1, max = 2) int which,
      @ForAll @Size(max = 300) byte[] payload,
      @ForAll long seed)
      throws HandshakeException {
    Random random = new Random(seed);
    HandshakeState initiator = HandshakeState.initiator(INITIATOR, PROLOGUE);
    HandshakeState responder = HandshakeState.responder(RESPONDER, PROLOGUE);
    responder.readMessage(initiator.writeMessage(new byte[0]));
    HandshakeState writer = which == 1 ? responder : initiator;
    HandshakeState reader = which == 1 ? initiator : responder;
    if (which == 2) {
      initiator.readMessage(responder.writeMessage(new byte[0]));
    }
    byte[] original = writer.writeMessage(payload);
    byte[] mutated = mutate(original, random);
    try {
      byte[] read = reader.readMessage(mutated);
      assertThat(mutated).as("only the untouched message may be read").isEqualTo(original);
      assertThat(read).isEqualTo(payload);
    } catch (HandshakeException e) {
      assertThat(reader.isFailed()).isTrue();
    }
  }

  private static byte[] mutate(byte[] message, Random random) {
    int position = random.nextInt(message.length);
    return switch (random.nextInt(4)) {
      case 0 -> {
        byte[] out = message.clone();
        out[position] ^= (byte) (1 << random.nextInt(8));
        yield out;
      }
      case 1 -> Arrays.copyOf(message, position);
      case 2 -> Arrays.copyOf(message, message.length + 1 + random.nextInt(40));
      default -> message.clone();
    };
  }
}
