package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code p2p.dial} peer that keeps failing is redialled with growing delays, not hammered. */
class RedialTest {

  @TempDir Path root;

  @Test
  void failingDialPeerIsRetriedWithGrowingDelays() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      // A "peer" that accepts TCP, answers one byte and hangs up: every dial attempt fails its
      // handshake. (Hanging up without a byte would look like a peer that predates version
      // negotiation, which each dial retries once at version 1: docs/PROTOCOL.md §3.4.)
      BlockingQueue<Long> attempts = new LinkedBlockingQueue<>();
      var server =
          nodes
              .vertx
              .createNetServer()
              .connectHandler(
                  socket -> {
                    attempts.add(System.nanoTime());
                    socket
                        .write(io.vertx.core.buffer.Buffer.buffer(new byte[] {0}))
                        .onComplete(ar -> socket.close());
                  });
      int port = await(server.listen(0, "127.0.0.1")).actualPort();
      String ghost = NodeKeyFile.create(root.resolve("ghost")).id();

      nodes.start(
          nodes.config(root.resolve("a"), "a", Map.of("p2p.dial", ghost + "@127.0.0.1:" + port)));

      List<Long> times = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Long t = attempts.poll(10, TimeUnit.SECONDS);
        assertThat(t).as("attempt " + (i + 1)).isNotNull();
        times.add(t);
      }
      List<Long> gapsMs = new ArrayList<>();
      for (int i = 1; i < times.size(); i++) {
        gapsMs.add((times.get(i) - times.get(i - 1)) / 1_000_000);
      }
      // Nominal 500, 1000, 2000 ms, each with +-20% jitter. Timers never fire early but fire late
      // on a loaded machine, so only the lower bounds are asserted: each gap at least its nominal
      // delay less the jitter, i.e. the delays do grow.
      long nominal = 500;
      for (long gap : gapsMs) {
        assertThat(gap).as("gaps " + gapsMs).isGreaterThanOrEqualTo(nominal * 4 / 5 - 20);
        nominal *= 2;
      }
    }
  }
}
