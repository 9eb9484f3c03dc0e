package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HandshakeStateTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] PROLOGUE = "canopy/1 testnet".getBytes(StandardCharsets.US_ASCII);

  /** A point of order 8 on Curve25519 (RFC 7748 / Wycheproof "LowOrderPublic"). */
  private static final byte[] LOW_ORDER_POINT =
      Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800");

  private final X25519KeyPair initiatorStatic = X25519.generate(RANDOM);
  private final X25519KeyPair responderStatic = X25519.generate(RANDOM);
  private final HandshakeState initiator = HandshakeState.initiator(initiatorStatic, PROLOGUE);
  private final HandshakeState responder = HandshakeState.responder(responderStatic, PROLOGUE);

  @Test
  void roundTripGivesMatchingKeysAndPeerStatics() throws CryptoException {
    assertThat(initiator.isWriteTurn()).isTrue();
    assertThat(responder.isWriteTurn()).isFalse();
    assertThat(responder.readMessage(initiator.writeMessage(bytes("one")))).isEqualTo(bytes("one"));
    assertThat(initiator.readMessage(responder.writeMessage(bytes("two")))).isEqualTo(bytes("two"));
    // The initiator knows the responder's static key after message 2, in time to check a signature.
    assertThat(initiator.remoteStaticPublicKey()).isEqualTo(responderStatic.publicKey());
    assertThat(responder.remoteStaticPublicKey()).isNull();
    assertThat(responder.readMessage(initiator.writeMessage(bytes("three"))))
        .isEqualTo(bytes("three"));
    assertThat(initiator.isComplete()).isTrue();
    assertThat(responder.isComplete()).isTrue();

    HandshakeResult i = initiator.split();
    HandshakeResult r = responder.split();
    assertThat(i.handshakeHash()).isEqualTo(r.handshakeHash());
    assertThat(i.remoteStaticPublicKey()).isEqualTo(responderStatic.publicKey());
    assertThat(r.remoteStaticPublicKey()).isEqualTo(initiatorStatic.publicKey());
    assertThat(r.receive().decryptWithAd(null, i.send().encryptWithAd(null, bytes("hi"))))
        .isEqualTo(bytes("hi"));
    assertThat(i.receive().decryptWithAd(null, r.send().encryptWithAd(null, bytes("yo"))))
        .isEqualTo(bytes("yo"));
    // Directions use different keys: a frame cannot be reflected back to its sender.
    byte[] reflected = i.send().encryptWithAd(null, bytes("echo"));
    assertThatThrownBy(() -> i.receive().decryptWithAd(null, reflected))
        .isInstanceOf(BadTagException.class);
    assertThatThrownBy(initiator::split).isInstanceOf(IllegalStateException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 31, 32, 47, 48, 79, 80, 95, 96, 99})
  void tamperedMessageTwoIsRefused(int index) throws CryptoException {
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] message = responder.writeMessage(bytes("abcd"));
    message[index] ^= 0x01;
    assertThatThrownBy(() -> initiator.readMessage(message)).isInstanceOf(HandshakeException.class);
    assertThat(initiator.isFailed()).isTrue();
    assertThatThrownBy(() -> initiator.writeMessage(new byte[0]))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("already failed");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 47, 48, 63, 67})
  void tamperedMessageThreeIsRefused(int index) throws CryptoException {
    responder.readMessage(initiator.writeMessage(new byte[0]));
    initiator.readMessage(responder.writeMessage(new byte[0]));
    byte[] message = initiator.writeMessage(bytes("wxyz"));
    message[index] ^= (byte) 0x80;
    assertThatThrownBy(() -> responder.readMessage(message)).isInstanceOf(HandshakeException.class);
  }

  @Test
  void tamperedMessageOneIsCaughtByTheHashAtMessageTwo() throws CryptoException {
    byte[] message = initiator.writeMessage(bytes("hello"));
    message[message.length - 1] ^= 1;
    responder.readMessage(message);
    byte[] reply = responder.writeMessage(new byte[0]);
    assertThatThrownBy(() -> initiator.readMessage(reply)).isInstanceOf(HandshakeException.class);
  }

  @Test
  void differentProloguesDoNotComplete() throws CryptoException {
    HandshakeState other = HandshakeState.responder(responderStatic, bytes("canopy/1 mainnet"));
    other.readMessage(initiator.writeMessage(new byte[0]));
    byte[] reply = other.writeMessage(new byte[0]);
    assertThatThrownBy(() -> initiator.readMessage(reply)).isInstanceOf(HandshakeException.class);
  }

  @Test
  void lowOrderInitiatorEphemeralIsRefusedByTheResponder() throws CryptoException {
    byte[] message = initiator.writeMessage(new byte[0]);
    System.arraycopy(LOW_ORDER_POINT, 0, message, 0, 32);
    responder.readMessage(message);
    assertThatThrownBy(() -> responder.writeMessage(new byte[0]))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("low-order");
  }

  @Test
  void lowOrderResponderEphemeralIsRefusedByTheInitiator() throws CryptoException {
    responder.readMessage(initiator.writeMessage(new byte[0]));
    byte[] message = responder.writeMessage(new byte[0]);
    System.arraycopy(new byte[32], 0, message, 0, 32);
    assertThatThrownBy(() -> initiator.readMessage(message))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("low-order");
  }

  @Test
  void shortMessagesAreRefusedClearly() throws CryptoException {
    assertThatThrownBy(() -> responder.readMessage(new byte[31]))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("31 bytes");
    HandshakeState fresh = HandshakeState.responder(responderStatic, PROLOGUE);
    fresh.readMessage(initiator.writeMessage(new byte[0]));
    byte[] reply = fresh.writeMessage(new byte[0]);
    assertThatThrownBy(() -> initiator.readMessage(reply, 0, 95))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("95 bytes");
  }

  @Test
  void shortThirdMessageIsRefused() throws CryptoException {
    responder.readMessage(initiator.writeMessage(new byte[0]));
    initiator.readMessage(responder.writeMessage(new byte[0]));
    assertThatThrownBy(() -> responder.readMessage(new byte[63]))
        .isInstanceOf(HandshakeException.class);
  }

  @Test
  void messagesAreBoundedBy65535Bytes() throws CryptoException {
    assertThatThrownBy(() -> responder.readMessage(new byte[65536]))
        .isInstanceOf(HandshakeException.class)
        .hasMessageContaining("65535");
    HandshakeState fresh = HandshakeState.responder(responderStatic, PROLOGUE);
    fresh.readMessage(initiator.writeMessage(new byte[0]));
    assertThatThrownBy(() -> fresh.writeMessage(new byte[65535 - 96 + 1]))
        .isInstanceOf(IllegalArgumentException.class);
    byte[] largest = fresh.writeMessage(new byte[65535 - 96]);
    assertThat(largest).hasSize(65535);
    assertThat(initiator.readMessage(largest)).hasSize(65535 - 96);
  }

  @Test
  void outOfTurnCallsAreProgrammingErrors() throws CryptoException {
    assertThatThrownBy(() -> initiator.readMessage(new byte[32]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> responder.writeMessage(new byte[0]))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(initiator::split).isInstanceOf(IllegalStateException.class);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
