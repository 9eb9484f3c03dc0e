package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import network.canopy.p2p.crypto.CipherState;
import org.junit.jupiter.api.Test;

class FrameEncoderTest {
  private final FrameFixture f = new FrameFixture(7);

  @Test
  void frameIsBigEndianLengthThenAeadCiphertextWithCounterNonce() throws Exception {
    byte[] plaintext = new byte[300];
    Arrays.fill(plaintext, (byte) 3);
    f.encoder.seal(new byte[1]);
    byte[] frame = f.encoder.seal(plaintext);

    assertThat(frame).hasSize(2 + 300 + 16);
    assertThat(frame[0]).isEqualTo((byte) 0x01);
    assertThat(frame[1]).isEqualTo((byte) 0x3c); // 316
    CipherState reference = new CipherState(f.key);
    reference.setNonce(1);
    assertThat(Arrays.copyOfRange(frame, 2, frame.length))
        .isEqualTo(reference.encryptWithAd(new byte[0], plaintext));
  }

  @Test
  void sealsIntoAnOffsetAndInPlaceBehindAReservedPrefix() throws Exception {
    byte[] buffer = new byte[5 + 2 + 100 + 16];
    Arrays.fill(buffer, 7, 107, (byte) 0x42);
    assertThat(f.encoder.seal(buffer, 7, 100, buffer, 5)).isEqualTo(118);
    FrameDecoder decoder = f.decoder();
    decoder.feed(buffer, 5, 118);
    byte[] expected = new byte[100];
    Arrays.fill(expected, (byte) 0x42);
    assertThat(f.received).containsExactly(expected);
  }

  @Test
  void largestPlaintextFitsAndOneMoreIsRefused() throws FrameException {
    assertThat(f.encoder.seal(new byte[WireLimits.MAX_FRAME_PLAINTEXT])).hasSize(65537);
    assertThatThrownBy(() -> f.encoder.seal(new byte[WireLimits.MAX_FRAME_PLAINTEXT + 1]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FrameEncoder.encodedLength(0)).isEqualTo(18);
  }

  @Test
  void exhaustedNonceIsAFrameError() {
    CipherState send = new CipherState(f.key);
    send.setNonce(CipherState.RESERVED_NONCE);
    FrameEncoder encoder = new FrameEncoder(send);
    assertThatThrownBy(() -> encoder.seal(new byte[1]))
        .isInstanceOf(FrameException.class)
        .extracting(e -> ((FrameException) e).reason())
        .isEqualTo(FrameError.NONCE_EXHAUSTED);
  }

  @Test
  void needsAKeyedCipherState() {
    assertThatThrownBy(() -> new FrameEncoder(new CipherState()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
