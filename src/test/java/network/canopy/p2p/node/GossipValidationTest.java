package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Validation before relay on a line of real nodes a — b — c, topic {@code tx} with {@code validate:
 * true}. Each node's validator answers by the payload's first word: {@code bad} reject, {@code
 * skip} ignore, {@code silent} never answers, anything else accept. Each test uses its own
 * payloads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GossipValidationTest {

  private static final String TX = "tx";
  private static final int REJECT_POINTS = 7;

  /** Above the 20 messages of the acceptance test, which must never meet the bound. */
  private static final int MAX_PENDING = 24;

  private static final String TOPICS =
      "[{\"name\":\"tx\",\"id\":4,\"gossip\":true,\"validate\":true},"
          + "{\"name\":\"block_request\",\"id\":3}]";

  private TrustLine line;

  /** prefix → payloads its validator was asked about, in order. */
  private final Map<String, List<String>> asked = new ConcurrentHashMap<>();

  @BeforeAll
  void startLine(@TempDir Path root) throws Exception {
    line = new TrustLine(root);
    Map<String, String> config =
        Map.of(
            "topics",
            TOPICS,
            "gossip.validationTimeoutMs",
            "10000",
            "gossip.maxPendingValidations",
            String.valueOf(MAX_PENDING),
            "gossip.validationRejectPoints",
            String.valueOf(REJECT_POINTS));
    for (String prefix : List.of("a", "b", "c")) {
      asked.put(prefix, new CopyOnWriteArrayList<>());
      await(
          line.nodes
              .vertx
              .eventBus()
              .<Buffer>consumer(new Addresses(prefix).validate(TX), m -> validate(prefix, m))
              .completion());
    }
    line.start("a", config, List.of(), TX);
    line.start("b", config, List.of("a"), TX);
    line.start("c", config, List.of("b"), TX);
  }

  private void validate(String prefix, Message<Buffer> m) {
    String payload = m.body().toString();
    asked.get(prefix).add(payload);
    String word = payload.split(" ")[0];
    switch (word) {
      case "bad" -> m.reply("reject");
      case "skip" -> m.reply("ignore");
      case "silent" -> {} // never answers
      default -> m.reply("accept");
    }
  }

  /**
   * Silent validations hold slots until they time out: no test starts with another's still held.
   */
  @AfterEach
  void awaitNothingPending() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                List.of("a", "b", "c").stream()
                    .allMatch(
                        node ->
                            line.gauge(node, "p2p.gossip.validations.pending", "topic", TX) == 0));
  }

  @AfterAll
  void stop() throws Exception {
    line.close();
  }

  @Test
  void acceptedMessagesReachEveryNodeAndEachValidatorIsAskedOnce() throws Exception {
    for (int i = 0; i < 20; i++) {
      line.broadcast("a", TX, "ok " + i);
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> line.received("c", TX).stream().filter(p -> p.startsWith("ok ")).count() == 20);
    for (String node : List.of("b", "c")) {
      assertThat(line.received(node, TX).stream().filter(p -> p.startsWith("ok ")))
          .as("delivered at %s", node)
          .hasSize(20)
          .doesNotHaveDuplicates();
      assertThat(asked.get(node).stream().filter(p -> p.startsWith("ok ")))
          .as("asked at %s", node)
          .hasSize(20);
    }
    assertThat(asked.get("a"))
        .as("the origin does not validate its own broadcast")
        .noneMatch(p -> p.startsWith("ok "));
    assertThat(line.headers("c", TX).get(0))
        .containsKeys(Addresses.HEADER_MSG_ID, Addresses.HEADER_PEER);
  }

  @Test
  void aRejectedMessageStopsAtTheFirstHopAndItsSenderPaysTheConfiguredPoints() throws Exception {
    double before = reputationAt("b", "a");
    line.broadcast("a", TX, "bad block 1");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> asked.get("b").contains("bad block 1"));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> reputationAt("b", "a") <= before - REJECT_POINTS + 0.01);
    assertThat(reputationAt("b", "a")).isCloseTo(before - REJECT_POINTS, within(0.05));

    // A message sent after it on the same path reaches c: had b forwarded the rejected one, it
    // would be there first.
    line.broadcast("a", TX, "marker after bad");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("c", TX).contains("marker after bad"));
    assertThat(line.received("b", TX)).doesNotContain("bad block 1");
    assertThat(line.received("c", TX)).doesNotContain("bad block 1");
    assertThat(asked.get("c")).as("never reached c's validator").doesNotContain("bad block 1");
    assertThat(line.counter("b", "p2p.gossip.validation", "topic", TX, "outcome", "reject"))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void aRejectedIdIsRememberedSoACopyFromAnotherPeerIsNotJudgedAgain() throws Exception {
    double aBefore = reputationAt("b", "a");
    double cBefore = reputationAt("b", "c");
    double duplicatesBefore = duplicatesAt("b");
    // a and c both originate the same invalid message; b hears it from both sides.
    line.broadcast("a", TX, "bad twice");
    line.broadcast("c", TX, "bad twice");
    // Both copies have arrived once b counts the second as a duplicate.
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> duplicatesAt("b") > duplicatesBefore);
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> reputationAt("b", "a") < aBefore - 1 || reputationAt("b", "c") < cBefore - 1);
    assertThat(asked.get("b").stream().filter("bad twice"::equals)).as("validated once").hasSize(1);
    double paidByA = aBefore - reputationAt("b", "a");
    double paidByC = cBefore - reputationAt("b", "c");
    assertThat(paidByA + paidByC)
        .as("only the sender of the judged copy paid")
        .isCloseTo(REJECT_POINTS, within(0.15));
    assertThat(line.received("b", TX)).doesNotContain("bad twice");
  }

  @Test
  void aSilentValidatorMeansIgnoreAfterTheTimeoutAndNothingIsForwarded() throws Exception {
    double timeoutsBefore =
        line.counter("b", "p2p.gossip.validation", "topic", TX, "outcome", "timeout");
    double before = reputationAt("b", "a");
    line.broadcast("a", TX, "silent one");
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                line.counter("b", "p2p.gossip.validation", "topic", TX, "outcome", "timeout")
                    > timeoutsBefore);
    line.broadcast("a", TX, "marker after silent");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("c", TX).contains("marker after silent"));
    assertThat(line.received("b", TX)).doesNotContain("silent one");
    assertThat(asked.get("c")).doesNotContain("silent one");
    assertThat(reputationAt("b", "a"))
        .as("ignoring costs nothing")
        .isGreaterThanOrEqualTo(before - 0.01);

    line.broadcast("a", TX, "skip this one");
    line.broadcast("a", TX, "marker after skip");
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> line.received("c", TX).contains("marker after skip"));
    assertThat(asked.get("b")).contains("skip this one");
    assertThat(line.received("b", TX)).doesNotContain("skip this one");
    assertThat(asked.get("c")).doesNotContain("skip this one");
  }

  @Test
  void inFlightValidationsAreBoundedPerTopicAndWhatIsPastTheBoundIsCounted() throws Exception {
    String node = "c"; // only b sends to c, so nothing else is in flight there
    double overflowBefore =
        line.counter(node, "p2p.gossip.validation", "topic", TX, "outcome", "overflow");
    double timeoutBefore =
        line.counter(node, "p2p.gossip.validation", "topic", TX, "outcome", "timeout");
    int askedBefore = asked.get(node).size();
    int burst = 2 * MAX_PENDING;
    // b originates them (no validation there); c's validator holds them ("silent"). Sent at once,
    // so all arrive well within the validation timeout.
    List<Future<Message<Object>>> sent = new ArrayList<>();
    for (int i = 0; i < burst; i++) {
      sent.add(
          line.nodes
              .vertx
              .eventBus()
              .request(
                  new Addresses("b").broadcast(),
                  Buffer.buffer("silent burst " + i),
                  new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, TX)));
    }
    await(Future.all(sent));
    Awaitility.await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                line.counter(node, "p2p.gossip.validation", "topic", TX, "outcome", "overflow")
                        - overflowBefore
                        + line.counter(
                            node, "p2p.gossip.validation", "topic", TX, "outcome", "timeout")
                        - timeoutBefore
                    == burst);
    assertThat(asked.get(node).size() - askedBefore)
        .as("never more than the bound in flight")
        .isEqualTo(MAX_PENDING);
    assertThat(
            line.counter(node, "p2p.gossip.validation", "topic", TX, "outcome", "overflow")
                - overflowBefore)
        .isEqualTo(burst - MAX_PENDING);
    assertThat(line.received(node, TX)).noneMatch(p -> p.startsWith("silent burst"));
  }

  private double duplicatesAt(String prefix) {
    return line.counter(prefix, "p2p.gossip.messages", "topic", TX, "event", "duplicate");
  }

  private double reputationAt(String at, String peer) throws Exception {
    return line.peer(at, line.id(peer)).getDouble("reputation");
  }
}
