package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.crypto.HandshakeState;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.X25519;
import network.canopy.p2p.crypto.X25519KeyPair;
import network.canopy.p2p.wire.ByteWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node dialling a peer that predates version negotiation — it accepts only a hello with version
 * exactly 1 and hangs up on anything else — falls back to version 1 once and connects.
 */
class VersionFallbackTest {

  private static final String NETWORK = "fallback-net";
  private static final SecureRandom RANDOM = new SecureRandom();

  @TempDir Path root;

  @Test
  void aDialToAVersionOneOnlyPeerFallsBackOnceAndConnects() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      VersionOnePeer old = new VersionOnePeer();
      int port =
          await(nodes.vertx.createNetServer().connectHandler(old::accept).listen(0, "127.0.0.1"))
              .actualPort();
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of("network", NETWORK, "p2p.dial", old.identity.id() + "@127.0.0.1:" + port)));
      String idA = nodes.id("a");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> peerIds(nodes).contains(old.identity.id()));
      assertThat(old.hellos)
          .as("a version-2 hello, refused, then one version-1 hello")
          .startsWith(2, 1);
      assertThat(old.hellos.stream().filter(v -> v == 1)).hasSize(1);
      assertThat(handshakes(nodes, idA, "VERSION_FALLBACK")).isEqualTo(1);
      assertThat(handshakes(nodes, idA, "ok")).isEqualTo(1);
    }
  }

  private static List<String> peerIds(TestNodes nodes) throws Exception {
    JsonArray peers =
        await(nodes.vertx.eventBus().<JsonArray>request(new Addresses("a").peers(), null)).body();
    return peers.stream().map(p -> ((io.vertx.core.json.JsonObject) p).getString("id")).toList();
  }

  private static double handshakes(TestNodes nodes, String id, String result) {
    Counter c =
        nodes
            .registry
            .find("p2p.handshakes")
            .tags("node", id.substring(0, 8), "role", "initiator", "result", result)
            .counter();
    return c == null ? 0 : c.count();
  }

  /**
   * The responder side of docs/PROTOCOL.md as version 1 wrote it: the hello's version must be 1
   * (anything else: close, no reply), metadata version 1 with an empty topic table.
   */
  static final class VersionOnePeer {
    final NodeIdentity identity = NodeIdentity.generate(RANDOM);
    final X25519KeyPair noiseStatic = X25519.generate(RANDOM);
    final List<Integer> hellos = new CopyOnWriteArrayList<>();

    void accept(NetSocket socket) {
      byte[] prologue =
          new ByteWriter()
              .bytes("canopy-p2p/1".getBytes(StandardCharsets.US_ASCII))
              .u8(0)
              .bytes(NETWORK.getBytes(StandardCharsets.UTF_8))
              .toByteArray();
      HandshakeState hs = HandshakeState.responder(noiseStatic, prologue);
      Buffer[] pending = {Buffer.buffer()};
      int[] step = {1};
      socket.handler(
          chunk -> {
            pending[0].appendBuffer(chunk);
            try {
              while (step[0] <= 3) {
                Buffer buffered = pending[0];
                if (buffered.length() < 2 || buffered.length() < 2 + buffered.getUnsignedShort(0)) {
                  return;
                }
                int length = buffered.getUnsignedShort(0);
                byte[] message = buffered.getBytes(2, 2 + length);
                pending[0] = buffered.getBuffer(2 + length, buffered.length());
                if (step[0] == 1) {
                  ByteBuffer hello = ByteBuffer.wrap(hs.readMessage(message));
                  int version = Short.toUnsignedInt(hello.getShort());
                  hellos.add(version);
                  if (version != 1) {
                    socket.close(); // "the responder checks the version (must be 1)"
                    return;
                  }
                  byte[] reply = hs.writeMessage(identityPayload());
                  socket.write(
                      Buffer.buffer(new ByteWriter().u16(reply.length).bytes(reply).toByteArray()));
                  step[0] = 3;
                } else {
                  hs.readMessage(message);
                  step[0] = 4; // authenticated; what follows (frames) is not read
                }
              }
            } catch (Exception e) {
              socket.close();
            }
          });
    }

    private byte[] identityPayload() {
      byte[] metadata = new ByteWriter().u16(1).str8(NETWORK).u64(1).str8("").u8(0).toByteArray();
      byte[] signed =
          new ByteWriter()
              .bytes("canopy-p2p/1 noise-static-key".getBytes(StandardCharsets.US_ASCII))
              .bytes(noiseStatic.publicKey())
              .bytes(metadata)
              .toByteArray();
      return new ByteWriter()
          .u8(1)
          .bytes(identity.publicKey())
          .bytes(identity.sign(signed))
          .u16(metadata.length)
          .bytes(metadata)
          .toByteArray();
    }
  }
}
