package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar as a user runs it: start, answer /health, stop on SIGTERM with exit 0; bad config
 * exits 2.
 */
class JarProcessIT {

  static final Pattern NODE_UP = Pattern.compile("node \\w+ up: admin=http://([^/]+)/");

  @TempDir Path dataDir;

  @Test
  void startsAnswersHealthAndExitsZeroOnSigterm() throws Exception {
    Process node =
        start(
            "run",
            "--listen",
            "127.0.0.1:0",
            "--admin",
            "127.0.0.1:0",
            "--data-dir",
            dataDir.toString(),
            "--config",
            writeEmptyConfig().toString());
    try {
      BlockingQueue<String> lines = pump(node);
      String admin = awaitMatch(lines, NODE_UP).group(1);
      HttpResponse<String> health =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://" + admin + "/health"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).contains("\"UP\"");

      node.destroy(); // SIGTERM
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(node.exitValue()).isZero();
      assertThat(Files.exists(dataDir.resolve("node.key"))).isTrue();
      assertThat(
              new JsonObject(Files.readString(dataDir.resolve("peerbook.json")))
                  .getInteger("version"))
          .as(
              "the peer book is saved on the way out, in the current format (3: signed address records)")
          .isEqualTo(3);
    } finally {
      node.destroyForcibly();
    }
  }

  @Test
  void badConfigurationExitsNonZeroWithOneLinePerProblemBeforeListening() throws Exception {
    Process node =
        start(
            "run",
            "--data-dir",
            dataDir.toString(),
            "--config",
            writeEmptyConfig().toString(),
            "--listen",
            "127.0.0.1:70000",
            "--dial",
            "not-a-peer",
            "--set",
            "p2p.maxInbound=-1",
            "--set",
            "topics=[{\"name\":\"votes\",\"id\":9,\"colour\":\"red\"}]");
    List<String> output = readAll(node);
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    List<String> problems = output.stream().filter(l -> l.startsWith("config error: ")).toList();
    assertThat(problems).anyMatch(l -> l.contains("p2p.listen"));
    assertThat(problems).anyMatch(l -> l.contains("p2p.dial"));
    assertThat(problems).anyMatch(l -> l.contains("p2p.maxInbound"));
    assertThat(problems).anyMatch(l -> l.contains("topics[0].colour"));
    assertThat(output).noneMatch(l -> l.contains("listening"));
    assertThat(Files.exists(dataDir.resolve("node.key"))).as("nothing started").isFalse();
  }

  @Test
  void aPortInUseExitsOneWithTheReason() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Process node =
          start(
              "run",
              "--listen",
              "127.0.0.1:0",
              "--admin",
              "127.0.0.1:" + taken.getLocalPort(),
              "--data-dir",
              dataDir.toString(),
              "--config",
              writeEmptyConfig().toString());
      List<String> output = readAll(node);
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
      assertThat(node.exitValue()).isEqualTo(1);
      assertThat(output)
          .anyMatch(l -> l.startsWith("cannot start:") && l.contains("Address already in use"));
    }
  }

  private Path writeEmptyConfig() throws IOException {
    Path file = dataDir.resolveSibling(dataDir.getFileName() + "-config.yaml");
    Files.writeString(file, "# empty: defaults and flags only\n");
    return file;
  }

  static Process start(String... args) throws IOException {
    return start(List.of(), args);
  }

  /** The fat jar with extra JVM options (system properties) before {@code -jar}. */
  static Process start(List<String> jvmOptions, String... args) throws IOException {
    String jar = System.getProperty("canopy.jar", "target/canopy-p2p.jar");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  static BlockingQueue<String> pump(Process process) {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException ignored) {
                // the process ended
              }
            },
            "node-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  static Matcher awaitMatch(BlockingQueue<String> lines, Pattern pattern)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line == null) {
        break;
      }
      seen.add(line);
      Matcher m = pattern.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new AssertionError("no line matching " + pattern + " in " + seen);
  }

  private static List<String> readAll(Process process) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      return in.lines().toList();
    }
  }
}
