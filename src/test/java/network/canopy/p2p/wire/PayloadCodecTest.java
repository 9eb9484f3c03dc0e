package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node metadata and identity payload encodings: exact layout, round trips, strict decoding. */
class PayloadCodecTest {

  private static final NodeMetadata METADATA =
      new NodeMetadata(
          1,
          "canopy-local",
          1,
          "[::1]:9001",
          List.of(
              new TopicInfo(1, "consensus", true, 4_194_304),
              new TopicInfo(3, "block_request", false, 1_048_576)));

  @Test
  void metadataHasTheDocumentedLayout() throws Exception {
    byte[] bytes =
        new NodeMetadata(1, "n", 258, "", List.of(new TopicInfo(7, "t", true, 5))).encode();
    assertThat(bytes)
        .containsExactly(
            0, 1, // protocol version
            1, 'n', // network
            0, 0, 0, 0, 0, 0, 1, 2, // chain id 258
            0, // listen address (empty)
            1, // one topic
            7, 1, 0, 0, 0, 0, 0, 0, 0, 5, 1, 't');
    assertThat(NodeMetadata.decode(bytes).topics()).containsExactly(new TopicInfo(7, "t", true, 5));
  }

  @Test
  void metadataRoundTrips() throws Exception {
    assertThat(NodeMetadata.decode(METADATA.encode())).isEqualTo(METADATA);
  }

  @Test
  void metadataDecodingIsStrict() {
    byte[] good = METADATA.encode();
    assertThatThrownBy(() -> NodeMetadata.decode(Arrays.copyOf(good, good.length + 1)))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining("trailing");
    for (int cut = 0; cut < good.length; cut++) {
      byte[] truncated = Arrays.copyOf(good, cut);
      assertThatThrownBy(() -> NodeMetadata.decode(truncated))
          .isInstanceOf(WireFormatException.class);
    }
    byte[] duplicate =
        new NodeMetadata(
                1,
                "n",
                1,
                "",
                List.of(new TopicInfo(1, "a", true, 1), new TopicInfo(1, "b", true, 1)))
            .encode();
    assertThatThrownBy(() -> NodeMetadata.decode(duplicate)).hasMessageContaining("duplicate");
    byte[] badUtf8 = new NodeMetadata(1, "ab", 1, "", List.of()).encode();
    badUtf8[3] = (byte) 0xff;
    assertThatThrownBy(() -> NodeMetadata.decode(badUtf8)).hasMessageContaining("UTF-8");
  }

  @Test
  void identityPayloadRoundTripsAndSignsContextKeyAndMetadata() throws Exception {
    byte[] key = new byte[32];
    byte[] sig = new byte[64];
    Arrays.fill(key, (byte) 1);
    Arrays.fill(sig, (byte) 2);
    byte[] meta = METADATA.encode();
    IdentityPayload decoded = IdentityPayload.decode(new IdentityPayload(key, sig, meta).encode());
    assertThat(decoded.identityKey()).isEqualTo(key);
    assertThat(decoded.signature()).isEqualTo(sig);
    assertThat(decoded.metadata()).isEqualTo(meta);

    byte[] staticKey = new byte[32];
    byte[] input = IdentityPayload.signatureInput(staticKey, meta);
    assertThat(new String(input, 0, 29, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("canopy-p2p/1 noise-static-key");
    assertThat(input).hasSize(29 + 32 + meta.length);
  }

  @Test
  void prologueBindsProtocolAndNetwork() {
    assertThat(HandshakeCredentials.prologue("ab"))
        .containsExactly('c', 'a', 'n', 'o', 'p', 'y', '-', 'p', '2', 'p', '/', '1', 0, 'a', 'b');
  }
}
