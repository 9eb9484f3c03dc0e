package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published Noise_XX_25519_ChaChaPoly_SHA256 vectors (cacophony, noise-c, snow), reproduced
 * byte for byte by both roles: handshake messages 0-2, transport messages 3+ under the split keys.
 */
class NoiseVectorsTest {
  private static final String FILE = "noise/noise_xx_25519_chachapoly_sha256.json";

  static Stream<JsonObject> vectors() {
    JsonArray all = TestVectors.load(FILE).getJsonArray("vectors");
    List<JsonObject> list = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      list.add(all.getJsonObject(i));
    }
    return list.stream();
  }

  @Test
  void fileHoldsTheThreeSources() {
    assertThat(vectors().map(v -> v.getString("source").split("@")[0]))
        .containsExactly("haskell-cryptography/cacophony", "rweather/noise-c", "mcginty/snow");
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("vectors")
  void bothRolesReproduceEveryMessage(JsonObject v) throws CryptoException {
    assertThat(v.getString("protocol_name")).isEqualTo(HandshakeState.PROTOCOL_NAME);
    HandshakeState initiator =
        new HandshakeState(
            HandshakeState.Role.INITIATOR,
            X25519.fromPrivateKey(hex(v, "init_static")),
            hex(v, "init_prologue"),
            X25519.fromPrivateKey(hex(v, "init_ephemeral")),
            null);
    HandshakeState responder =
        new HandshakeState(
            HandshakeState.Role.RESPONDER,
            X25519.fromPrivateKey(hex(v, "resp_static")),
            hex(v, "resp_prologue"),
            X25519.fromPrivateKey(hex(v, "resp_ephemeral")),
            null);
    JsonArray messages = v.getJsonArray("messages");
    assertThat(messages.size()).isGreaterThanOrEqualTo(4);

    for (int i = 0; i < 3; i++) {
      HandshakeState writer = i % 2 == 0 ? initiator : responder;
      HandshakeState reader = i % 2 == 0 ? responder : initiator;
      byte[] payload = Hex.decode(messages.getJsonObject(i).getString("payload"));
      byte[] expected = Hex.decode(messages.getJsonObject(i).getString("ciphertext"));
      byte[] written = writer.writeMessage(payload);
      assertThat(Hex.encode(written)).as("message %d", i).isEqualTo(Hex.encode(expected));
      assertThat(reader.readMessage(written)).as("payload %d", i).isEqualTo(payload);
    }

    HandshakeResult init = initiator.split();
    HandshakeResult resp = responder.split();
    assertThat(init.handshakeHash()).isEqualTo(resp.handshakeHash());
    if (v.containsKey("handshake_hash")) {
      assertThat(Hex.encode(init.handshakeHash())).isEqualTo(v.getString("handshake_hash"));
    }
    assertThat(init.remoteStaticPublicKey()).isEqualTo(X25519.publicKey(hex(v, "resp_static")));
    assertThat(resp.remoteStaticPublicKey()).isEqualTo(X25519.publicKey(hex(v, "init_static")));

    for (int i = 3; i < messages.size(); i++) {
      // Messages keep alternating: odd indexes are the responder's.
      HandshakeResult sender = i % 2 == 0 ? init : resp;
      HandshakeResult receiver = i % 2 == 0 ? resp : init;
      byte[] payload = Hex.decode(messages.getJsonObject(i).getString("payload"));
      byte[] expected = Hex.decode(messages.getJsonObject(i).getString("ciphertext"));
      byte[] sealed = sender.send().encryptWithAd(null, payload);
      assertThat(Hex.encode(sealed)).as("transport message %d", i).isEqualTo(Hex.encode(expected));
      assertThat(receiver.receive().decryptWithAd(null, sealed)).isEqualTo(payload);
    }
  }

  private static byte[] hex(JsonObject v, String field) {
    return Hex.decode(v.getString(field));
  }
}
