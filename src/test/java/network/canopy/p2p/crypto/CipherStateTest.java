package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CipherStateTest {
  private static final byte[] KEY =
      Hex.decode("1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100");

  @Test
  void nonceIsFourZeroBytesThenLittleEndianCounter() throws CryptoException {
    CipherState state = new CipherState(KEY);
    state.setNonce(0x0102030405060708L);
    byte[] sealed = state.encryptWithAd(new byte[] {9}, new byte[] {1, 2, 3});
    byte[] nonce = Hex.decode("000000000807060504030201");
    assertThat(sealed)
        .isEqualTo(new ChaChaPoly(KEY).seal(nonce, new byte[] {9}, new byte[] {1, 2, 3}));
    assertThat(state.nonce()).isEqualTo(0x0102030405060709L);
  }

  @Test
  void eachMessageUsesTheNextNonce() throws CryptoException {
    CipherState sender = new CipherState(KEY);
    CipherState receiver = new CipherState(KEY);
    byte[] first = sender.encryptWithAd(null, new byte[10]);
    byte[] second = sender.encryptWithAd(null, new byte[10]);
    assertThat(first).isNotEqualTo(second);
    assertThat(receiver.decryptWithAd(null, first)).isEqualTo(new byte[10]);
    assertThat(receiver.decryptWithAd(null, second)).isEqualTo(new byte[10]);
    assertThat(receiver.nonce()).isEqualTo(2);
  }

  @Test
  void failedDecryptionLeavesTheNonceAlone() throws CryptoException {
    CipherState sender = new CipherState(KEY);
    CipherState receiver = new CipherState(KEY);
    byte[] sealed = sender.encryptWithAd(null, new byte[] {5, 6});
    byte[] tampered = sealed.clone();
    tampered[0] ^= 1;
    assertThatThrownBy(() -> receiver.decryptWithAd(null, tampered))
        .isInstanceOf(BadTagException.class);
    assertThat(receiver.nonce()).isZero();
    assertThat(receiver.decryptWithAd(null, sealed)).containsExactly(5, 6);
  }

  @Test
  void replayedMessageFails() throws CryptoException {
    CipherState sender = new CipherState(KEY);
    CipherState receiver = new CipherState(KEY);
    byte[] sealed = sender.encryptWithAd(null, new byte[] {7});
    receiver.decryptWithAd(null, sealed);
    assertThatThrownBy(() -> receiver.decryptWithAd(null, sealed))
        .isInstanceOf(BadTagException.class);
  }

  @Test
  void lastUsableNonceIsTwoToTheSixtyFourMinusTwo() throws CryptoException {
    CipherState sender = new CipherState(KEY);
    CipherState receiver = new CipherState(KEY);
    sender.setNonce(-2L);
    receiver.setNonce(-2L);
    byte[] sealed = sender.encryptWithAd(null, new byte[] {1});
    assertThat(receiver.decryptWithAd(null, sealed)).containsExactly(1);
    assertThat(sender.nonce()).isEqualTo(CipherState.RESERVED_NONCE);
    assertThatThrownBy(() -> sender.encryptWithAd(null, new byte[] {1}))
        .isInstanceOf(NonceExhaustedException.class);
    assertThatThrownBy(() -> receiver.decryptWithAd(null, sealed))
        .isInstanceOf(NonceExhaustedException.class);
    // Exhaustion is permanent: the state does not wrap around to nonce 0.
    assertThatThrownBy(() -> sender.encryptWithAd(null, new byte[] {1}))
        .isInstanceOf(NonceExhaustedException.class);
  }

  @Test
  void withoutKeyDataPassesThroughAndNonceStays() throws CryptoException {
    CipherState state = new CipherState();
    assertThat(state.hasKey()).isFalse();
    assertThat(state.encryptWithAd(new byte[] {1}, new byte[] {4, 5})).containsExactly(4, 5);
    assertThat(state.decryptWithAd(new byte[] {1}, new byte[] {4, 5})).containsExactly(4, 5);
    assertThat(state.nonce()).isZero();
  }

  @Test
  void sealsAndOpensInPlaceWithOffsets() throws CryptoException {
    CipherState sender = new CipherState(KEY);
    CipherState receiver = new CipherState(KEY);
    byte[] plaintext = new byte[1000];
    Arrays.fill(plaintext, (byte) 0x5a);
    byte[] buffer = new byte[3 + plaintext.length + 16];
    System.arraycopy(plaintext, 0, buffer, 3, plaintext.length);
    assertThat(sender.encryptWithAd(null, buffer, 3, plaintext.length, buffer, 3)).isEqualTo(1016);
    assertThat(receiver.decryptWithAd(null, buffer, 3, 1016, buffer, 3)).isEqualTo(1000);
    assertThat(Arrays.copyOfRange(buffer, 3, 1003)).isEqualTo(plaintext);
  }

  @Test
  void shortCiphertextIsABadTagNotAnIndexError() {
    CipherState receiver = new CipherState(KEY);
    assertThatThrownBy(() -> receiver.decryptWithAd(null, new byte[15]))
        .isInstanceOf(BadTagException.class);
    assertThatThrownBy(() -> receiver.decryptWithAd(null, new byte[20], 0, 15, new byte[20], 0))
        .isInstanceOf(BadTagException.class);
  }
}
