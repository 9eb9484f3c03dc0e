package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Counter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kept peer ({@code p2p.dial}) that completes the handshake and is then refused — by the other
 * side or by this one — is redialled with a growing backoff: no storm, and never given up on.
 */
class RedialStormTest {

  @TempDir Path root;

  @Test
  void aPeerThatRefusesAfterTheHandshakeIsRedialledWithBackoffNotEveryHalfSecond()
      throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of("p2p.maxInbound", "0")));
      String idB = nodes.id("b");
      nodes.start(
          nodes.config(
              root.resolve("a"), "a", Map.of("p2p.dial", idB + "@" + nodes.listenAddress("b"))));

      // B refuses A after each handshake (GOODBYE "inbound limit 0 reached"). Backoff 0.5, 1, 2,
      // 4 s (±20 %): at most 5 attempts in 8 s; a reset on each completed handshake made it ~15.
      await().atMost(Duration.ofSeconds(20)).until(() -> refused(nodes, idB, "inbound_limit") >= 2);
      await()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(10))
          .until(() -> refused(nodes, idB, "inbound_limit") <= 6);
    }
  }

  @Test
  void aPeerThatSaysItBansThisNodeIsNotRedialledWhileTheBanLasts() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      String idA = NodeKeyFile.create(root.resolve("a")).id();
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of("p2p.bannedPeers", idA)));
      String idB = nodes.id("b");
      nodes.start(
          nodes.config(
              root.resolve("a"), "a", Map.of("p2p.dial", idB + "@" + nodes.listenAddress("b"))));

      // GOODBYE "banned peer": A waits an hour before its next attempt (PROTOCOL.md §16), where
      // its backoff alone would have tried four more times in these 8 s.
      await().atMost(Duration.ofSeconds(20)).until(() -> refused(nodes, idB, "banned") >= 1);
      await()
          .during(Duration.ofSeconds(8))
          .atMost(Duration.ofSeconds(10))
          .until(() -> refused(nodes, idB, "banned") == 1);
    }
  }

  @Test
  void aKeptPeerRefusedLocallyIsRedialledLater() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("b"), "b", Map.of()));
      String idB = nodes.id("b");
      // A refuses B itself (a ban), after its own dial's handshake: it must try again later, so a
      // ban that lapses is followed by a connection.
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of("p2p.dial", idB + "@" + nodes.listenAddress("b"), "p2p.bannedPeers", idB)));
      String idA = nodes.id("a");
      await().atMost(Duration.ofSeconds(20)).until(() -> handshakesAccepted(nodes, idB) >= 2);
      Counter refusedAtA =
          nodes
              .registry
              .find("p2p.admissions.refused")
              .tags("node", idA.substring(0, 8), "reason", "banned")
              .counter();
      assertThat(refusedAtA).isNotNull();
      assertThat(refusedAtA.count()).isGreaterThanOrEqualTo(2);
    }
  }

  private static double refused(TestNodes nodes, String idB, String reason) {
    Counter c =
        nodes
            .registry
            .find("p2p.admissions.refused")
            .tags("node", idB.substring(0, 8), "reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }

  private static double handshakesAccepted(TestNodes nodes, String idB) {
    Counter c =
        nodes
            .registry
            .find("p2p.handshakes")
            .tags("node", idB.substring(0, 8), "role", "responder", "result", "ok")
            .counter();
    return c == null ? 0 : c.count();
  }
}
