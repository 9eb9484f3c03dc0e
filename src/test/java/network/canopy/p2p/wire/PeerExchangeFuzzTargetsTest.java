package network.canopy.p2p.wire;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;
import network.canopy.p2p.fuzz.FuzzStats;

/**
 * Coverage-guided fuzzing (Jazzer) of the peer-exchange decoder (topic 255): raw bytes and
 * responses built from fuzzed entries (families, ports, mapped addresses, repeated ids, counts).
 * Only a {@link WireFormatException} may come out, and whatever decodes encodes back to exactly the
 * bytes received: one meaning per message, nothing accepted beyond what the format allows.
 */
class PeerExchangeFuzzTargetsTest {

  private static final FuzzStats STATS = FuzzStats.of("peerExchange");

  @FuzzTest(maxDuration = "5s")
  void peerExchange(FuzzedDataProvider data) throws Exception {
    STATS.run(
        () -> {
          byte[] bytes =
              data.consumeBoolean()
                  ? data.consumeBytes(PeerExchangeMessage.MAX_ENCODED_LENGTH + 8)
                  : response(data);
          PeerExchangeMessage message;
          try {
            message = PeerExchangeMessage.decode(bytes);
          } catch (WireFormatException refused) {
            return;
          }
          if (!Arrays.equals(message.encode(), bytes)) {
            throw new AssertionError(
                "decoded " + message + " does not encode back to the bytes received");
          }
        });
  }

  /** A response whose entries are mostly well formed, with fuzzer-chosen flaws. */
  private static byte[] response(FuzzedDataProvider data) {
    int count = data.consumeInt(0, PeerExchangeMessage.MAX_ENTRIES + 2);
    ByteWriter w = new ByteWriter().u8(PeerExchangeMessage.KIND_RESPONSE).u8(count);
    byte[] previousId = new byte[PeerExchangeMessage.ID_LENGTH];
    for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
      byte[] id =
          data.consumeInt(0, 15) == 0 ? previousId : fixed(data, PeerExchangeMessage.ID_LENGTH);
      previousId = id;
      int family =
          data.consumeInt(0, 15) == 0 ? data.consumeInt(0, 255) : (data.consumeBoolean() ? 4 : 6);
      byte[] ip = fixed(data, family == 4 ? 4 : 16);
      if (family == 6 && data.consumeInt(0, 7) == 0) {
        Arrays.fill(ip, 0, 10, (byte) 0);
        ip[10] = (byte) 0xff;
        ip[11] = (byte) 0xff;
      }
      w.bytes(id)
          .u8(family)
          .bytes(ip)
          .u16(data.consumeInt(0, 7) == 0 ? 0 : data.consumeInt(1, 0xFFFF));
    }
    if (data.consumeInt(0, 15) == 0) {
      w.bytes(data.consumeBytes(4)); // trailing bytes
    }
    return w.toByteArray();
  }

  private static byte[] fixed(FuzzedDataProvider data, int length) {
    return Arrays.copyOf(data.consumeBytes(length), length);
  }
}
