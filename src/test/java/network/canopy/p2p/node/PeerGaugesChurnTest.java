package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Gauge;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.attack.HostilePeers;
import network.canopy.p2p.wire.TopicInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A metrics scrape runs on whatever thread asks, while peers come and go on the PeerSet's context:
 * the peer and reputation gauges must never fail or read half-changed state (reading the peer map
 * from the scrape thread threw ConcurrentModificationException during churn, which a scrape shows
 * as NaN).
 */
class PeerGaugesChurnTest {

  private static final int HELD = 200;
  private static final TopicInfo BLOCK_REQUEST = new TopicInfo(3, "block_request", false, 1 << 20);

  @TempDir Path root;

  @Test
  void gaugesReadDuringChurnNeverFailAndEndRight() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(
          nodes.config(
              root.resolve("v"),
              "v",
              Map.of(
                  "p2p.maxInbound", "300",
                  "p2p.maxPerIp", "100",
                  "p2p.discovery", "false",
                  // the held peers below never answer a ping
                  "p2p.heartbeatTimeoutMs", "120000")));
      String listen = nodes.listenAddress("v");
      int port = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      AtomicBoolean churning = new AtomicBoolean(true);
      Thread scraper =
          new Thread(
              () -> {
                while (churning.get()) {
                  // Micrometer turns a failing value function into NaN (and one logged warning).
                  for (Gauge gauge : peerGauges(nodes)) {
                    if (Double.isNaN(gauge.value())) {
                      failures.add(gauge.getId() + " read NaN");
                    }
                  }
                }
              },
              "scraper");
      scraper.start();
      try (HostilePeers peers = new HostilePeers(port, "canopy-local", 4)) {
        // A large peer map makes each scrape long, so churn lands in the middle of one.
        peers.deaf(HELD, BLOCK_REQUEST, Duration.ofSeconds(30));
        await("the held peers on the gauge")
            .atMost(Duration.ofSeconds(20))
            .until(() -> inbound(nodes) == HELD);
        for (int i = 0; i < 50; i++) {
          assertThat(peers.authenticates(i, Duration.ofSeconds(10))).isTrue();
        }
      } finally {
        churning.set(false);
        scraper.join();
      }
      assertThat(failures).isEmpty();
      await("no inbound peer left on the gauge once they hung up")
          .atMost(Duration.ofSeconds(10))
          .until(() -> inbound(nodes) == 0.0);
    }
  }

  private static List<Gauge> peerGauges(TestNodes nodes) {
    List<Gauge> gauges = new ArrayList<>();
    gauges.addAll(nodes.registry.find("p2p.peers").gauges());
    gauges.addAll(nodes.registry.find("p2p.peer.reputation").gauges());
    return gauges;
  }

  private static double inbound(TestNodes nodes) {
    return nodes.registry.find("p2p.peers").tag("direction", "inbound").gauge().value();
  }
}
