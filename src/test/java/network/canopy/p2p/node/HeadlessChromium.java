package network.canopy.p2p.node;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium for the dashboard's browser test, driven over the DevTools protocol with the
 * JDK's WebSocket client (no npm, no driver binaries): open pages, evaluate JavaScript, wait for
 * conditions, take screenshots.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
  private static final long CALL_TIMEOUT_S = 20;

  private final Process process;
  private final Cdp browser;
  private final String devtoolsBase;
  private final List<Page> pages = new ArrayList<>();

  private HeadlessChromium(Process process, String browserUrl) throws Exception {
    this.process = process;
    this.browser = Cdp.connect(browserUrl);
    URI uri = URI.create(browserUrl);
    this.devtoolsBase = "ws://" + uri.getHost() + ":" + uri.getPort() + "/devtools/page/";
  }

  /**
   * The Chromium executable: {@code $CHROMIUM}, else chromium / chromium-browser / google-chrome on
   * the PATH.
   */
  static Optional<Path> find() {
    List<String> names = new ArrayList<>();
    Optional.ofNullable(System.getenv("CHROMIUM")).ifPresent(names::add);
    names.addAll(List.of("chromium", "chromium-browser", "google-chrome"));
    for (String name : names) {
      Path direct = Path.of(name);
      if (direct.isAbsolute() && Files.isExecutable(direct)) {
        return Optional.of(direct);
      }
      for (String dir :
          System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
        Path candidate = Path.of(dir, name);
        if (!dir.isEmpty() && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  static HeadlessChromium launch(Path executable, Path profile) throws Exception {
    Process process =
        new ProcessBuilder(
                executable.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--hide-scrollbars",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .start();
    CompletableFuture<String> url = new CompletableFuture<>();
    List<String> output = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  output.add(line);
                  Matcher m = DEVTOOLS.matcher(line);
                  if (m.find()) {
                    url.complete(m.group(1));
                  }
                }
              } catch (IOException ignored) {
                // the browser exited
              }
              url.completeExceptionally(new IllegalStateException("chromium exited: " + output));
            },
            "chromium-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new HeadlessChromium(process, url.get(30, TimeUnit.SECONDS));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** A new tab of {@code width}×{@code height} CSS pixels showing {@code url}. */
  Page open(String url, int width, int height) throws Exception {
    String targetId =
        browser
            .call("Target.createTarget", new JsonObject().put("url", "about:blank"))
            .getString("targetId");
    Page page = new Page(Cdp.connect(devtoolsBase + targetId));
    pages.add(page);
    page.cdp.call("Runtime.enable", new JsonObject());
    page.cdp.call("Log.enable", new JsonObject());
    page.resize(width, height);
    page.cdp.call("Page.navigate", new JsonObject().put("url", url));
    return page;
  }

  @Override
  public void close() {
    pages.forEach(p -> p.cdp.close());
    browser.close();
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** One tab: JavaScript evaluation, bounded waits, screenshots, and the page's errors. */
  static final class Page {
    private final Cdp cdp;

    /**
     * Uncaught exceptions and console/log errors, except failed loads (the network's, not the
     * page's).
     */
    final List<String> errors = new CopyOnWriteArrayList<>();

    Page(Cdp cdp) {
      this.cdp = cdp;
      cdp.onEvent =
          event -> {
            JsonObject params = event.getJsonObject("params", new JsonObject());
            switch (event.getString("method", "")) {
              case "Runtime.exceptionThrown" -> errors.add(params.encode());
              case "Log.entryAdded" -> {
                JsonObject entry = params.getJsonObject("entry", new JsonObject());
                if ("error".equals(entry.getString("level"))
                    && !"network".equals(entry.getString("source"))) {
                  errors.add(entry.encode());
                }
              }
              default -> {}
            }
          };
    }

    void resize(int width, int height) throws Exception {
      cdp.call(
          "Emulation.setDeviceMetricsOverride",
          new JsonObject()
              .put("width", width)
              .put("height", height)
              .put("deviceScaleFactor", 1)
              .put("mobile", false));
    }

    /**
     * The value of a JavaScript expression (promises awaited); page exceptions become
     * AssertionErrors.
     */
    Object eval(String expression) throws Exception {
      JsonObject result =
          cdp.call(
              "Runtime.evaluate",
              new JsonObject()
                  .put("expression", expression)
                  .put("returnByValue", true)
                  .put("awaitPromise", true));
      if (result.containsKey("exceptionDetails")) {
        throw new AssertionError(
            "page threw on " + expression + ": " + result.getJsonObject("exceptionDetails"));
      }
      return result.getJsonObject("result").getValue("value");
    }

    /**
     * Polls {@code condition} (a boolean expression) every 100 ms until true or {@code seconds}
     * pass.
     */
    void await(String description, String condition, int seconds) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        if (Boolean.TRUE.equals(eval("!!(" + condition + ")"))) {
          return;
        }
        Thread.sleep(100);
      }
      throw new AssertionError(
          "within "
              + seconds
              + " s, the page never showed: "
              + description
              + "\npage text:\n"
              + eval("document.body.innerText"));
    }

    void screenshot(Path file) throws Exception {
      JsonObject shot = cdp.call("Page.captureScreenshot", new JsonObject().put("format", "png"));
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, Base64.getDecoder().decode(shot.getString("data")));
    }
  }

  /**
   * A DevTools protocol connection: numbered calls matched to their replies, events to a callback.
   */
  private static final class Cdp implements WebSocket.Listener {
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile Consumer<JsonObject> onEvent = e -> {};
    private WebSocket socket;

    static Cdp connect(String url) throws Exception {
      Cdp cdp = new Cdp();
      cdp.socket =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(URI.create(url), cdp)
              .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      return cdp;
    }

    JsonObject call(String method, JsonObject params) throws Exception {
      int id = ids.incrementAndGet();
      CompletableFuture<JsonObject> reply = new CompletableFuture<>();
      pending.put(id, reply);
      socket
          .sendText(
              new JsonObject().put("id", id).put("method", method).put("params", params).encode(),
              true)
          .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      JsonObject answer = reply.get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
      if (answer.containsKey("error")) {
        throw new IllegalStateException(method + " failed: " + answer.getJsonObject("error"));
      }
      return answer.getJsonObject("result", new JsonObject());
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = new JsonObject(partial.toString());
        partial.setLength(0);
        Integer id = message.getInteger("id");
        if (id != null && pending.containsKey(id)) {
          pending.remove(id).complete(message);
        } else {
          onEvent.accept(message);
        }
      }
      webSocket.request(1);
      return null;
    }

    void close() {
      socket.abort();
    }
  }
}
