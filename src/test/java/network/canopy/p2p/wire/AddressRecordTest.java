package network.canopy.p2p.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import network.canopy.p2p.crypto.NodeIdentity;
import org.junit.jupiter.api.Test;

/** Signed address records (docs/PROTOCOL.md §17.1) byte for byte, and who can make one. */
class AddressRecordTest {

  private static final HexFormat HEX = HexFormat.of();

  /** The test vector's key: the seed of 32 bytes 0x01. */
  private static final NodeIdentity VECTOR_KEY = NodeIdentity.fromSeed(filled(1));

  private static final byte[] IP = {(byte) 203, 0, 113, 5};

  private static byte[] filled(int b) {
    byte[] bytes = new byte[32];
    Arrays.fill(bytes, (byte) b);
    return bytes;
  }

  @Test
  void theLayoutIsIdFamilyIpPortTimestampSignature() {
    AddressRecord r = AddressRecord.sign(VECTOR_KEY, IP, 9001, 1_700_000_000L);
    byte[] bytes = r.encode();
    assertThat(bytes).hasSize(AddressRecord.IPV4_LENGTH).hasSize(111);
    assertThat(Arrays.copyOfRange(bytes, 0, 32)).isEqualTo(VECTOR_KEY.publicKey());
    assertThat(Arrays.copyOfRange(bytes, 32, 47))
        .containsExactly(4, 203, 0, 113, 5, 0x23, 0x29, 0, 0, 0, 0, 0x65, 0x53, (byte) 0xf1, 0x00);
    byte[] signed =
        HEX.parseHex(
            HEX.formatHex("canopy-p2p/1 address-record".getBytes())
                + HEX.formatHex(Arrays.copyOfRange(bytes, 0, 47)));
    assertThat(
            NodeIdentity.verify(VECTOR_KEY.publicKey(), signed, Arrays.copyOfRange(bytes, 47, 111)))
        .as("the signature covers the context string and the 47 bytes before it")
        .isTrue();
    assertThat(HEX.formatHex(bytes)).as("the test vector of PROTOCOL.md §17.1").isEqualTo(VECTOR);
  }

  /**
   * Ed25519 is deterministic, so this whole record is fixed by the seed and the fields; the same
   * bytes came out of Python's {@code cryptography} package, an implementation independent of ours.
   */
  static final String VECTOR =
      "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"
          + "04cb0071052329000000006553f100"
          + "9eeb46520320f68d211f5fb7cd9d05d3fd4fbe736b59ee83d25fbae9d025fb94"
          + "c6c91e6b439c65c85f7d398fa56df8697331aab40268624f7ba2f47d54163506";

  @Test
  void aRecordVerifiesOnlyUnderItsOwnId() throws Exception {
    NodeIdentity x = NodeIdentity.generate(new SecureRandom());
    NodeIdentity y = NodeIdentity.generate(new SecureRandom());
    AddressRecord byY = AddressRecord.sign(y, IP, 9001, 1_700_000_000L);
    AddressRecord forged =
        new AddressRecord(x.publicKey(), IP, 9001, 1_700_000_000L, byY.signature());
    assertThat(byY.verifies()).isTrue();
    assertThat(forged.verifies()).as("id of X, signed by Y").isFalse();

    byte[] moved = byY.encode();
    moved[36] = 6; // 203.0.113.6: the same signature over another address
    assertThat(AddressRecord.decode(moved).verifies()).isFalse();
    byte[] later = byY.encode();
    later[46]++; // one second later
    assertThat(AddressRecord.decode(later).verifies()).isFalse();
    assertThat(AddressRecord.decode(byY.encode())).isEqualTo(byY);
  }

  @Test
  void signedResponsesAndOwnRecordsRoundTrip() throws Exception {
    NodeIdentity a = NodeIdentity.generate(new SecureRandom());
    byte[] v6 = new byte[16];
    v6[0] = 0x20;
    v6[1] = 0x01;
    v6[15] = 1;
    AddressRecord r4 = AddressRecord.sign(VECTOR_KEY, IP, 9001, 5);
    AddressRecord r6 = AddressRecord.sign(a, v6, 65535, 6);
    PeerExchangeMessage response = new PeerExchangeMessage.SignedResponse(List.of(r4, r6));
    byte[] encoded = response.encode();
    assertThat(encoded).hasSize(2 + 111 + 123);
    assertThat(encoded[0]).isEqualTo((byte) 3);
    assertThat(encoded[1]).isEqualTo((byte) 2);
    assertThat(PeerExchangeMessage.decode(encoded)).isEqualTo(response);

    PeerExchangeMessage own = new PeerExchangeMessage.OwnRecord(r6);
    assertThat(own.encode()).hasSize(1 + 123);
    assertThat(own.encode()[0]).isEqualTo((byte) 4);
    assertThat(PeerExchangeMessage.decode(own.encode())).isEqualTo(own);
  }

  @Test
  void malformedRecordsAreRefused() {
    AddressRecord r = AddressRecord.sign(VECTOR_KEY, IP, 9001, 5);
    byte[] twice = new PeerExchangeMessage.SignedResponse(List.of(r, r)).encode();
    assertRejected(twice, "repeated");
    byte[] one = new PeerExchangeMessage.OwnRecord(r).encode();
    assertRejected(Arrays.copyOf(one, one.length - 1), "record.signature");
    assertRejected(Arrays.copyOf(one, one.length + 1), "trailing");
    byte[] family = one.clone();
    family[1 + 32] = 5;
    assertRejected(family, "record.family");
    byte[] port = one.clone();
    port[1 + 37] = 0;
    port[1 + 38] = 0;
    assertRejected(port, "record.port: 0");
    byte[] full = new byte[PeerExchangeMessage.MAX_ENCODED_LENGTH + 1];
    full[0] = 3;
    assertRejected(full, "over");
  }

  private static void assertRejected(byte[] bytes, String why) {
    assertThatThrownBy(() -> PeerExchangeMessage.decode(bytes))
        .isInstanceOf(WireFormatException.class)
        .hasMessageContaining(why);
  }
}
