package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import network.canopy.p2p.attack.HostilePeers;
import network.canopy.p2p.wire.TopicInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer that authenticates and then never reads again: what the node sends it piles up in the
 * node's buffers, its heartbeat deadline passes and the node hangs up. The hang-up must really free
 * the socket (and with it the per-IP slot), even though the bytes queued for the peer can never be
 * delivered: otherwise every deaf peer would keep a descriptor and an inbound slot for good.
 */
class DeafPeerTest {

  private static final TopicInfo BLOCK_REQUEST = new TopicInfo(3, "block_request", false, 1 << 20);

  @TempDir Path root;

  @Test
  void aPeerThatStopsReadingIsReallyDisconnected() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(
          nodes.config(
              root.resolve("v"),
              "v",
              Map.of(
                  "p2p.maxPerIp", "1",
                  "p2p.discovery", "false",
                  "p2p.heartbeatIntervalMs", "1000",
                  "p2p.heartbeatTimeoutMs", "6000")));
      String listen = nodes.listenAddress("v");
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
      int admin = nodes.adminPort("v");
      try (HostilePeers peers = new HostilePeers(port, "canopy-local", 1)) {
        assertThat(peers.deaf(1, BLOCK_REQUEST, Duration.ofSeconds(10)).connections()).isEqualTo(1);
        awaitInbound(nodes, admin, 1);
        // Far more than the kernel buffers of one loopback connection take: the rest waits in
        // the node's own write queue, behind which a polite close would wait for ever.
        Random random = new Random(7);
        for (int i = 0; i < 6; i++) {
          byte[] payload = new byte[1 << 20];
          random.nextBytes(payload);
          var response =
              TestNodes.await(
                  nodes
                      .http
                      .post(admin, "127.0.0.1", "/api/send?peer=*&topic=block_request")
                      .sendBuffer(Buffer.buffer(payload)));
          assertThat(response.statusCode()).as(response.bodyAsString()).isIn(200, 503);
        }
        // The heartbeat deadline (6 s) drops the deaf peer from the node's view...
        awaitInbound(nodes, admin, 0);
        // ...and its socket must be gone too: a new peer from the same IP (maxPerIp 1) gets in.
        await("a new connection from the deaf peer's IP authenticates")
            .atMost(Duration.ofSeconds(30))
            .until(() -> peers.authenticates(0, Duration.ofSeconds(5)));
      }
    }
  }

  private static void awaitInbound(TestNodes nodes, int admin, int count) {
    await("inbound peers = " + count)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonObject node = nodes.get(admin, "/api/node").bodyAsJsonObject();
              return node.getJsonObject("peers").getInteger("inbound");
            },
            inbound -> inbound == count);
  }
}
