package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.Addresses;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser (headless Chromium over the DevTools protocol): two connected
 * nodes, each page shows the other as a peer, traffic shows up in the feeds and charts, a broadcast
 * sent from one page's form appears in the other node's recent messages, a stopped peer appears as
 * an event; screenshots go to {@code target/dashboard*.png}. Skipped, loudly, where no Chromium
 * exists (scripts/test.sh installs it when it can).
 */
class DashboardBrowserTest {

  static final Path SCREENSHOT = Path.of("target", "dashboard.png");
  static final Path SCREENSHOT_OTHER = Path.of("target", "dashboard-b.png");
  static final Path SCREENSHOT_NARROW = Path.of("target", "dashboard-narrow.png");
  static final Path SCREENSHOT_DISCONNECT = Path.of("target", "dashboard-disconnect.png");

  @TempDir Path root;

  @Test
  void twoNodesPagesShowPeersTrafficBroadcastAndDisconnect() throws Exception {
    Path chromium = HeadlessChromium.find().orElse(null);
    if (chromium == null) {
      String warning =
          "*** DashboardBrowserTest SKIPPED: no chromium on this machine (set CHROMIUM or "
              + "apt-get install chromium); the dashboard was NOT tested in a browser ***";
      // Straight to the process's stderr: Surefire files System.err away, this reaches the Maven
      // console.
      new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8)
          .println(warning);
      Assumptions.abort(warning);
    }
    try (TestNodes nodes = new TestNodes();
        HeadlessChromium browser =
            HeadlessChromium.launch(chromium, root.resolve("chromium-profile"))) {
      BlockingQueue<JsonObject> eventsB = new LinkedBlockingQueue<>();
      nodes
          .vertx
          .eventBus()
          .<JsonObject>consumer(new Addresses("b").events(), m -> eventsB.add(m.body()));
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      String idA = nodes.id("a");
      String deploymentB =
          nodes.start(
              nodes.config(
                  root.resolve("b"),
                  "b",
                  Map.of("p2p.dial", idA + "@" + nodes.listenAddress("a"))));
      String idB = nodes.id("b");
      assertThat(eventsB.poll(20, TimeUnit.SECONDS)).as("b connected to a").isNotNull();

      HeadlessChromium.Page pageA = browser.open(dashboard(nodes, "a"), 1280, 800);
      HeadlessChromium.Page pageB = browser.open(dashboard(nodes, "b"), 1280, 800);
      pageA.await(
          "node a's id in the header",
          "document.getElementById('node-id').textContent === '" + idA + "'",
          20);
      pageA.await("peer b in a's peers table", peerRow(idB), 20);
      pageB.await("peer a in b's peers table", peerRow(idA), 20);
      pageA.await(
          "the stream marked live", "document.getElementById('live').textContent === 'live'", 10);

      long traffic = sendEvery100Ms(nodes, "b", idA, "tx", 30);
      pageA.await(
          "b's messages in a's recent feed",
          "document.querySelector('#messages li[data-topic=\"tx\"][data-peer=\"" + idB + "\"]')",
          20);
      pageA.await(
          "a non-zero tx rate",
          "/^[1-9]/.test(document.querySelector('.topic[data-topic=\"tx\"] .figures')"
              + ".textContent)",
          20);
      pageA.await("a few seconds of tx rates in the chart", "state.series.tx.length >= 4", 20);

      String payload = "hello from the dashboard " + UUID.randomUUID();
      pageA.eval(
          "document.getElementById('bc-topic').value = 'tx';"
              + "document.getElementById('bc-payload').value = "
              + new JsonArray().add(payload).encode()
              + "[0]; document.getElementById('broadcast').requestSubmit(); true");
      pageA.await(
          "the form reporting the broadcast", "document.querySelector('#bc-result.ok')", 20);
      pageB.await(
          "a's broadcast in b's recent messages",
          "document.querySelector('#messages li[data-sha256=\""
              + sha256(payload)
              + "\"][data-peer=\""
              + idA
              + "\"]')",
          20);

      pageA.screenshot(SCREENSHOT);
      pageB.screenshot(SCREENSHOT_OTHER);
      pageA.resize(400, 900);
      pageA.await(
          "no sideways scrolling at 400 px",
          "document.documentElement.scrollWidth <= window.innerWidth",
          5);
      pageA.screenshot(SCREENSHOT_NARROW);
      vertxCancel(nodes, traffic);

      pageA.resize(1280, 800);
      nodes.stop(deploymentB);
      pageA.await(
          "a peer.disconnected event for b",
          "document.querySelector('#events li[data-type=\"peer.disconnected\"]"
              + "[data-peer=\""
              + idB
              + "\"]')",
          20);
      pageA.await("b gone from a's peers table", "!" + peerRow(idB), 20);
      pageA.screenshot(SCREENSHOT_DISCONNECT);
      assertThat(pageA.errors).as("errors in a's page").isEmpty();
      assertThat(pageB.errors).as("errors in b's page").isEmpty();
    }
  }

  private static String dashboard(TestNodes nodes, String prefix) throws Exception {
    return "http://127.0.0.1:" + nodes.adminPort(prefix) + "/";
  }

  private static String peerRow(String id) {
    return "document.querySelector('#peers tbody tr[data-peer=\"" + id + "\"]')";
  }

  /**
   * Traffic for the feeds and charts: one message every 100 ms, {@code count} in all; returns the
   * timer id.
   */
  private static long sendEvery100Ms(
      TestNodes nodes, String from, String to, String topic, int count) {
    int[] sent = {0};
    DeliveryOptions options =
        new DeliveryOptions()
            .addHeader(Addresses.HEADER_PEER, to)
            .addHeader(Addresses.HEADER_TOPIC, topic);
    return nodes.vertx.setPeriodic(
        100,
        id -> {
          if (++sent[0] >= count) {
            nodes.vertx.cancelTimer(id);
          }
          nodes
              .vertx
              .eventBus()
              .request(
                  new Addresses(from).send(),
                  Buffer.buffer("tx " + sent[0] + " ".repeat(200)),
                  options);
        });
  }

  private static void vertxCancel(TestNodes nodes, long timer) {
    nodes.vertx.cancelTimer(timer);
  }

  private static String sha256(String text) throws Exception {
    return HexFormat.of()
        .formatHex(
            MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
