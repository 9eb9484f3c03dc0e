package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric listed in docs/METRICS.md is in a real {@code /metrics} scrape. The list is read
 * from the document's tables (first column, in backticks), so documenting a metric is all it takes
 * to have it checked; the test makes the activity that brings tagged counters into existence:
 * gossip with duplicates, a refused send, a banned peer, a refused accept, a peer exchange that
 * hands out a dead address, which is then dialled and evicted, a book save.
 */
class MetricsCatalogueTest {

  static final Path CATALOGUE = Path.of("docs", "METRICS.md");
  private static final Pattern ROW = Pattern.compile("^\\|\\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\\s*\\|");

  @TempDir Path root;

  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  @Test
  void everyDocumentedMetricIsScraped() throws Exception {
    Set<String> documented = documentedNames();
    assertThat(documented).as("metric rows in " + CATALOGUE).hasSizeGreaterThan(20);
    try (TestNodes nodes = new TestNodes()) {
      String banned = NodeKeyFile.loadOrCreate(root.resolve("banned")).id();
      BlockingQueue<JsonObject> eventsA = events(nodes, "a");
      // a has one more topic, which requires validation: its validation meters exist from the
      // start.
      JsonArray topics =
          NodeConfig.defaults()
              .toJson()
              .getJsonArray("topics")
              .copy()
              .add(
                  new JsonObject()
                      .put("name", "checked")
                      .put("id", 9)
                      .put("gossip", true)
                      .put("validate", true));
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of("p2p.bannedPeers", banned, "topics", topics.encode())));
      String idA = nodes.id("a");
      String atA = idA + "@" + nodes.listenAddress("a");
      // An application listening on a topic: the event-bus gauges exist for topic addresses only.
      await(nodes.vertx.eventBus().consumer(new Addresses("a").topic("tx"), m -> {}).completion());
      // e visits a and leaves: a's book keeps a dead address to hand out.
      String deploymentE =
          nodes.start(nodes.config(root.resolve("e"), "e", Map.of("p2p.dial", atA)));
      awaitPeers(eventsA, 1);
      // a's book hears of e after its peer set does, on its own context: stopping e before that
      // left a nothing to hand out, and b nothing to dial (failed late in a loaded suite run).
      String idE = nodes.id("e");
      int adminA = nodes.adminPort("a");
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> nodes.get(adminA, "/api/book").bodyAsString().contains(idE));
      nodes.stop(deploymentE);

      // b learns e's address from a by peer exchange, dials it, fails and (maxDialFailures=1)
      // evicts it.
      BlockingQueue<JsonObject> eventsB = events(nodes, "b");
      nodes.start(
          nodes.config(
              root.resolve("b"),
              "b",
              Map.of(
                  "p2p.dial",
                  atA,
                  "p2p.peerExchangeIntervalMs",
                  "200",
                  "p2p.feelerIntervalMs",
                  "200",
                  "p2p.maxDialFailures",
                  "1")));
      String idB = nodes.id("b");
      nodes.start(
          nodes.config(
              root.resolve("c"),
              "c",
              Map.of("p2p.dial", atA + "," + idB + "@" + nodes.listenAddress("b"))));
      awaitPeers(eventsB, 2);

      // Gossip around the triangle a-b-c: delivered, forwarded, and duplicates where copies meet.
      await(
          nodes
              .vertx
              .eventBus()
              .request(
                  new Addresses("b").broadcast(),
                  Buffer.buffer("catalogue"),
                  new DeliveryOptions().addHeader(Addresses.HEADER_TOPIC, "tx")));
      sendTooLarge(nodes, idA);
      // A configured-banned peer completes the handshake and is refused admission.
      nodes.start(nodes.config(root.resolve("banned"), "banned", Map.of("p2p.dial", atA)));
      // A connection from a banned IP is refused before any handshake.
      nodes.start(nodes.config(root.resolve("d"), "d", Map.of("p2p.bannedIps", "127.0.0.1")));
      client = nodes.vertx.createNetClient();
      String listenD = nodes.listenAddress("d");
      client.connect(
          Integer.parseInt(listenD.substring(listenD.lastIndexOf(':') + 1)), "127.0.0.1");

      // jvm_gc_pause_seconds appears after the first collection the registry sees; late in a full
      // suite the 2 GiB heap may go the whole wait without one.
      System.gc();
      Set<String> missing = awaitScraped(nodes, nodes.adminPort("a"), documented);
      assertThat(missing).as("metrics in docs/METRICS.md missing from /metrics").isEmpty();
    }
  }

  /**
   * A send over the topic's limit (tx: 1 MiB) from b to a, refused and counted; retried while b's
   * link to a is being settled (the book may be swapping a duplicate connection), 404 meanwhile.
   */
  private static void sendTooLarge(TestNodes nodes, String idA) throws Exception {
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Addresses.HEADER_PEER, idA)
            .addHeader(Addresses.HEADER_TOPIC, "tx");
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        await(
            nodes
                .vertx
                .eventBus()
                .request(
                    new Addresses("b").send(), Buffer.buffer(new byte[(1 << 20) + 1]), options));
        throw new AssertionError("a send over the topic's limit was accepted");
      } catch (java.util.concurrent.ExecutionException e) {
        if (e.getCause() instanceof ReplyException re && re.failureCode() == 413) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("b never reached a to have its too-large send refused");
  }

  /** The metric names in the first column of the catalogue's tables. */
  static Set<String> documentedNames() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String line : Files.readAllLines(CATALOGUE)) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
  }

  /**
   * Scrapes every 200 ms until all {@code names} appear or 20 s pass; returns those still missing.
   */
  private static Set<String> awaitScraped(TestNodes nodes, int adminPort, Set<String> names)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    Set<String> missing = new LinkedHashSet<>(names);
    while (true) {
      String scrape = nodes.get(adminPort, "/metrics").bodyAsString();
      Set<String> present = new LinkedHashSet<>();
      for (String line : scrape.split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          present.add(line.split("[{ ]", 2)[0]);
        }
      }
      missing.removeIf(present::contains);
      if (missing.isEmpty() || System.nanoTime() > deadline) {
        Files.writeString(Path.of("target", "metrics-sample.txt"), scrape);
        return missing;
      }
      Thread.sleep(200);
    }
  }

  private static BlockingQueue<JsonObject> events(TestNodes nodes, String prefix) {
    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    nodes
        .vertx
        .eventBus()
        .<JsonObject>consumer(new Addresses(prefix).events(), m -> events.add(m.body()));
    return events;
  }

  private static void awaitPeers(BlockingQueue<JsonObject> events, int connected)
      throws InterruptedException {
    int seen = 0;
    while (seen < connected) {
      JsonObject event = events.poll(20, TimeUnit.SECONDS);
      assertThat(event).as("peer.connected #" + (seen + 1)).isNotNull();
      if ("peer.connected".equals(event.getString("type"))) {
        seen++;
      }
    }
  }
}
