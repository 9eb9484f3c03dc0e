package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.transport.ListenerVerticle;
import network.canopy.p2p.transport.SocketHandshake;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Refused handshakes as an operator sees them: counted in {@code p2p_handshakes_total} with their
 * reason and visible in the log at the default level — a peer of another chain, a banned IP.
 */
class HandshakeRefusalTest {

  @TempDir Path root;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final List<Logger> watched =
      List.of(
          (Logger) LoggerFactory.getLogger(SocketHandshake.class),
          (Logger) LoggerFactory.getLogger(ListenerVerticle.class));

  @BeforeEach
  void watchLogs() {
    logs.start();
    watched.forEach(l -> l.addAppender(logs));
  }

  @AfterEach
  void unwatch() {
    watched.forEach(l -> l.detachAppender(logs));
  }

  @Test
  void aPeerOfAnotherChainIsRefusedWithChainMismatch() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("chainId", "1")));
      nodes.start(
          nodes.config(
              root.resolve("b"),
              "b",
              Map.of(
                  "chainId", "999", "p2p.dial", nodes.id("a") + "@" + nodes.listenAddress("a"))));
      String idB = nodes.id("b");

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> handshakes(nodes, idB, "initiator", "CHAIN_MISMATCH") >= 1);
      assertThat(peers(nodes, "a")).isEmpty();
      assertThat(peers(nodes, "b")).isEmpty();
      assertThat(handshakes(nodes, idB, "initiator", "ok")).isZero();
      await().atMost(Duration.ofSeconds(5)).until(() -> logged("CHAIN_MISMATCH"));
      assertThat(
              lines().stream().filter(m -> m.contains("CHAIN_MISMATCH")).findFirst().orElseThrow())
          .contains("999");
    }
  }

  @Test
  void connectionsFromABannedIpAreCountedAsHandshakesAndSummarisedInTheLog() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of("p2p.bannedIps", "127.0.0.0/8")));
      String idA = nodes.id("a");
      nodes.start(
          nodes.config(
              root.resolve("b"), "b", Map.of("p2p.dial", idA + "@" + nodes.listenAddress("a"))));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> handshakes(nodes, idA, "responder", "BANNED_IP") >= 1);
      // The summary comes once per period (10 s) while refusals happen, naming the reasons and
      // counts.
      await().atMost(Duration.ofSeconds(25)).until(() -> logged("inbound connections in the last"));
      String line =
          lines().stream()
              .filter(m -> m.contains("inbound connections in the last"))
              .findFirst()
              .orElseThrow();
      assertThat(line)
          .containsPattern("refused \\d+ inbound connections in the last 10 s: BANNED_IP \\d+");
    }
  }

  private boolean logged(String text) {
    return lines().stream().anyMatch(m -> m.contains(text));
  }

  private List<String> lines() {
    synchronized (logs) { // the appender appends under its own lock
      return logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  private static JsonArray peers(TestNodes nodes, String prefix) throws Exception {
    return TestNodes.await(
            nodes.vertx.eventBus().<JsonArray>request(new Addresses(prefix).peers(), null))
        .body();
  }

  private static double handshakes(TestNodes nodes, String id, String role, String result) {
    Counter c =
        nodes
            .registry
            .find("p2p.handshakes")
            .tags("node", id.substring(0, 8), "role", role, "result", result)
            .counter();
    return c == null ? 0 : c.count();
  }
}
