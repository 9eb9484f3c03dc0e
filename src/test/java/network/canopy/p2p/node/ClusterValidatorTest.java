package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import network.canopy.p2p.examples.ClusterValidatorApp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A validator in a second JVM on the clustered event bus: nodes a — b — c run on a clustered Vert.x
 * in this JVM; b's topic {@code tx} requires validation, and the only validator for it is {@link
 * ClusterValidatorApp} in another process (Hazelcast on loopback, a cluster name of its own).
 */
class ClusterValidatorTest {

  private static final String TX = "tx";
  private static final String VALIDATED =
      "[{\"name\":\"tx\",\"id\":4,\"gossip\":true,\"validate\":true}]";
  private static final String PLAIN = "[{\"name\":\"tx\",\"id\":4,\"gossip\":true}]";

  @TempDir Path root;

  @Test
  void aValidatorInAnotherJvmDecidesWhatIsDeliveredAndForwarded() throws Exception {
    String clusterName = "canopy-validator-" + UUID.randomUUID();
    int port = SecondJvm.freePort();
    PrometheusMeterRegistry registry = VertxBootstrap.newRegistry();
    Vertx clustered = SecondJvm.joinLoopbackCluster(registry, clusterName, port);
    Process validator = startValidator(clusterName, port);
    try (TrustLine line = new TrustLine(root, new TestNodes(registry, clustered))) {
      BlockingQueue<String> lines = JarProcessIT.pump(validator);
      JarProcessIT.awaitMatch(lines, Pattern.compile("^ready: validating on b\\.validate\\.tx"));
      line.start("a", Map.of("topics", PLAIN), List.of(), TX);
      // A generous deadline: the first request opens the event-bus link between the JVMs, slow on a
      // busy machine.
      line.start(
          "b",
          Map.of(
              "topics",
              VALIDATED,
              "gossip.validationRejectPoints",
              "9",
              "gossip.validationTimeoutMs",
              "30000"),
          List.of("a"),
          TX);
      line.start("c", Map.of("topics", PLAIN), List.of("b"), TX);

      line.broadcast("a", TX, "bad block from a");
      line.broadcast("a", TX, "good block from a");
      JarProcessIT.awaitMatch(
          lines, Pattern.compile("^reject bad block from a from " + line.id("a")));
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> line.received("c", TX).contains("good block from a"));

      assertThat(line.received("b", TX)).containsExactly("good block from a");
      assertThat(line.received("c", TX)).containsExactly("good block from a");
      assertThat(line.counter("b", "p2p.gossip.validation", "topic", TX, "outcome", "reject"))
          .isEqualTo(1);
      assertThat(line.counter("b", "p2p.gossip.validation", "topic", TX, "outcome", "accept"))
          .isEqualTo(1);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> line.peer("b", line.id("a")).getDouble("reputation") <= -9);
    } finally {
      validator.destroyForcibly();
      validator.waitFor(20, TimeUnit.SECONDS);
    }
  }

  /** The validator app on this test's own class path (surefire's), in a fresh JVM. */
  private static Process startValidator(String clusterName, int port) throws Exception {
    return SecondJvm.start(
        List.of("-Dhazelcast.wait.seconds.before.join=0"),
        ClusterValidatorApp.class,
        SecondJvm.clusterAppArgs(clusterName, port, "b", TX));
  }
}
