package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.canopy.p2p.admin.EventStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the node serves its dashboard: only from itself (no external URL anywhere, a strict CSP), and
 * a bounded number of live streams, each opening with the node's identity.
 */
class DashboardServingTest {

  private static final Pattern EXTERNAL_URL =
      Pattern.compile("(?i)(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}");
  private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  @TempDir Path dataDir;

  /** Held in a field: Vert.x closes an HttpClient's connections once it is garbage-collected. */
  private HttpClient client;

  @Test
  void thePageAndItsAssetsComeFromTheNodeUnderAStrictPolicy() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(dataDir, "dash", Map.of()));
      int port = nodes.adminPort("dash");
      var page = nodes.get(port, "/");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.getHeader("content-type")).startsWith("text/html");
      assertThat(page.getHeader("content-security-policy"))
          .contains("default-src 'none'")
          .contains("script-src 'self'")
          .contains("connect-src 'self'")
          .doesNotContain("unsafe-inline");
      List<String> assets = new ArrayList<>();
      Matcher m = ASSET.matcher(page.bodyAsString());
      while (m.find()) {
        assets.add(m.group(1));
      }
      assertThat(assets).contains("/ui/app.js", "/ui/style.css");
      assertThat(page.bodyAsString()).doesNotContainPattern(EXTERNAL_URL);
      for (String asset : assets.stream().filter(a -> a.startsWith("/")).toList()) {
        var response = nodes.get(port, asset);
        assertThat(response.statusCode()).as(asset).isEqualTo(200);
        assertThat(response.bodyAsString()).as(asset).doesNotContainPattern(EXTERNAL_URL);
      }
    }
  }

  @Test
  void streamsOpenWithHelloAndAreCapped() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(dataDir, "dash", Map.of()));
      int port = nodes.adminPort("dash");
      String id = nodes.id("dash");
      // One connection per stream: the default pool (5 per host) would queue the rest.
      client =
          nodes.vertx.createHttpClient(
              new HttpClientOptions(),
              new PoolOptions().setHttp1MaxSize(EventStream.MAX_CLIENTS + 1));
      List<HttpClientResponse> open = new ArrayList<>();
      Map<HttpClientResponse, StringBuffer> texts = new java.util.concurrent.ConcurrentHashMap<>();
      for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
        HttpClientResponse response = openStream(port, texts);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).startsWith("text/event-stream");
        open.add(response);
      }
      JsonObject hello = firstEvent(texts.get(open.get(0)), "hello");
      assertThat(hello.getJsonObject("node").getString("id")).isEqualTo(id);
      assertThat(hello.getBoolean("tokenRequired")).isFalse();

      assertThat(
              firstEvent(texts.get(open.get(EventStream.MAX_CLIENTS - 1)), "snapshot")
                  .getJsonArray("peers"))
          .isEmpty();

      HttpClientResponse refused = openStream(port, texts);
      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(firstError(texts.get(refused))).contains("too many");
    }
  }

  /**
   * Opens a stream; its text is collected from the first byte on (the handler is set as the
   * response arrives).
   */
  private HttpClientResponse openStream(int port, Map<HttpClientResponse, StringBuffer> texts)
      throws Exception {
    return await(
        client
            .request(HttpMethod.GET, port, "127.0.0.1", "/api/stream")
            .compose(r -> r.send())
            .map(
                response -> {
                  StringBuffer text = new StringBuffer();
                  texts.put(response, text);
                  response.handler(chunk -> text.append(chunk.toString(StandardCharsets.UTF_8)));
                  return response;
                }));
  }

  /** Waits up to 10 s for the first event named {@code name} in {@code text}; its data as JSON. */
  private static JsonObject firstEvent(StringBuffer text, String name) {
    Pattern event = Pattern.compile("event: " + name + "\ndata: (.*)\n\n");
    String data =
        Awaitility.await("a '" + name + "' event on the stream")
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(
                () -> {
                  Matcher m = event.matcher(text);
                  return m.find() ? m.group(1) : null;
                },
                Objects::nonNull);
    return new JsonObject(data);
  }

  private static String firstError(StringBuffer text) {
    Awaitility.await("a complete JSON error body")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> text.toString().endsWith("}"));
    return new JsonObject(text.toString()).getString("error");
  }
}
