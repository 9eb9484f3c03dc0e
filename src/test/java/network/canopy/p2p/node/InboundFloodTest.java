package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.transport.SocketHandshake;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 200 authenticated connection attempts at once against a node with maxInbound=20: exactly 20 stay,
 * the rest are told why and closed, honest peers keep exchanging messages, no socket leaks.
 */
class InboundFloodTest {

  private static final int ATTEMPTS = 200;
  private static final int MAX_INBOUND = 20;

  @TempDir Path root;

  @Test
  void floodIsAdmittedUpToTheLimitAndNothingLeaks() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      BlockingQueue<JsonObject> eventsA = PeerLimitsTest.events(nodes, "a");
      // Every attempt comes from 127.0.0.1 here, so the per-IP limit is lifted: this test is about
      // maxInbound.
      // The attackers are mute (they answer no PING), so the heartbeat timeout is lifted too, and
      // so is
      // the handshake deadline: on a loaded machine 200 handshakes at once outlast 5 s, and the
      // first
      // admitted would be cut off (or the last refused as late) before the count is taken.
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of(
                  "p2p.maxInbound",
                  String.valueOf(MAX_INBOUND),
                  "p2p.maxPerIp",
                  "1000",
                  "p2p.heartbeatTimeoutMs",
                  "300000",
                  "p2p.handshakeTimeoutMs",
                  "120000")));
      String idA = nodes.id("a");
      String[] listen = nodes.listenAddress("a").split(":");
      int port = Integer.parseInt(listen[1]);
      nodes.start(
          nodes.config(root.resolve("b"), "b", Map.of("p2p.dial", idA + "@127.0.0.1:" + port)));
      MessagingTest.next(eventsA, "peer.connected");
      long baselineFds = openFds();

      HonestTraffic traffic = new HonestTraffic(nodes, idA);
      NetClient client = nodes.vertx.createNetClient();
      List<Future<EncryptedConn>> dials = new ArrayList<>();
      AtomicInteger goodbyes = new AtomicInteger();
      for (int i = 0; i < ATTEMPTS; i++) {
        HandshakeCredentials creds =
            HandshakeCredentials.create(
                NodeIdentity.generate(new SecureRandom()),
                new NodeMetadata(1, "canopy-local", 1, "", List.of()),
                new SecureRandom());
        dials.add(
            client
                .connect(port, "127.0.0.1")
                .compose(
                    socket ->
                        SocketHandshake.initiate(nodes.vertx, socket, creds, idA, 120_000)
                            .onSuccess(
                                conn ->
                                    conn.start(
                                        new EncryptedConn.Listener() {
                                          @Override
                                          public void onFrame(
                                              byte[] plaintext, int offset, int length) {}

                                          @Override
                                          public void onClosed(CloseReason reason, String detail) {
                                            goodbyes.incrementAndGet();
                                          }
                                        }))));
      }
      await(Future.join(dials));
      assertThat(dials).allMatch(Future::succeeded);

      JsonArray peers = awaitInbound(nodes, MAX_INBOUND);
      assertThat(peers).hasSize(MAX_INBOUND);
      traffic.finish();
      assertThat(traffic.lost()).as("honest messages lost").isZero();

      // Every refused attempt was closed by the node; close the admitted ones from our side too.
      for (Future<EncryptedConn> d : dials) {
        EncryptedConn conn = d.result();
        conn.context().runOnContext(v -> conn.close(CloseReason.LOCAL, "test over"));
      }
      awaitInbound(nodes, 1); // node B, the honest peer, stays
      await(client.close()); // also keeps the client reachable until here: Vert.x closes collected
      // clients
      awaitFds(baselineFds);
      assertThat(goodbyes.get()).isEqualTo(ATTEMPTS);
    }
  }

  private static JsonArray awaitInbound(TestNodes nodes, int expected) {
    return Awaitility.await("inbound peers at a")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> inboundPeers(nodes), inbound -> inbound.size() == expected);
  }

  private static JsonArray inboundPeers(TestNodes nodes) throws Exception {
    JsonArray peers =
        await(nodes.vertx.eventBus().<JsonArray>request(new Addresses("a").peers(), null)).body();
    return new JsonArray(
        peers.stream()
            .filter(p -> "inbound".equals(((JsonObject) p).getString("direction")))
            .toList());
  }

  private static void awaitFds(long baseline) {
    Awaitility.await("open file descriptors after the flood")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(InboundFloodTest::openFds, now -> now <= baseline + 2);
  }

  static long openFds() throws IOException {
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  /** Node B sends a steady stream to A during the flood; A must get every message. */
  private static final class HonestTraffic {
    private final TestNodes nodes;
    private final AtomicInteger received = new AtomicInteger();
    private final Promise<Void> done = Promise.promise();
    private final Runnable stopTimer;
    private int sent;

    HonestTraffic(TestNodes nodes, String idA) throws Exception {
      this.nodes = nodes;
      await(
          nodes
              .vertx
              .eventBus()
              .<Buffer>consumer(new Addresses("a").topic("tx"), m -> received.incrementAndGet())
              .completion());
      long timer =
          nodes.vertx.setPeriodic(
              5,
              id -> {
                sent++;
                nodes
                    .vertx
                    .eventBus()
                    .request(
                        new Addresses("b").send(),
                        Buffer.buffer("tx " + sent),
                        MessagingTest.sendTo(idA, "tx"))
                    .onFailure(done::tryFail);
              });
      this.stopTimer = () -> nodes.vertx.cancelTimer(timer);
    }

    /**
     * Stops sending and waits until every message sent arrived or a send failed; the caller counts
     * the lost.
     */
    void finish() {
      stopTimer.run();
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> received.get() >= sent || done.future().failed());
      } catch (ConditionTimeoutException stillMissing) {
        // lost() says how many; the test asserts it
      }
      assertThat(done.future().failed()).as("a send failed: " + done.future().cause()).isFalse();
    }

    int lost() {
      return sent - received.get();
    }
  }
}
