package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import network.canopy.p2p.cli.Main;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS on the clustered event bus across processes: the node (fat jar) and an app holding
 * certificates of one CA talk as in {@link ClusterIT}; two intruders that join Hazelcast under the
 * same cluster name, one with a certificate of another CA and one without TLS, receive nothing and
 * cannot make the node send.
 */
class ClusterTlsIT {
  private static final Duration PATIENCE = Duration.ofSeconds(180);
  private static final List<String> FAST_JOIN = List.of("-Dhazelcast.wait.seconds.before.join=0");
  private static final Pattern READY =
      Pattern.compile("^ready: listening on p2p\\.topic\\.tx as cluster member \\S+");

  @TempDir Path root;

  @Test
  void onlyMembersWithTheClusterCaReceiveTopicMessagesAndSendThroughTheNode() throws Exception {
    Path ca = root.resolve("ca");
    Path otherCa = root.resolve("other-ca");
    assertThat(
            Main.execute(
                "cluster-cert", "--dir", ca.toString(), "--member", "node", "--member", "app"))
        .isZero();
    assertThat(Main.execute("cluster-cert", "--dir", otherCa.toString(), "--member", "intruder"))
        .isZero();
    String clusterName = "canopy-tls-it-" + UUID.randomUUID();
    String port = String.valueOf(SecondJvm.freePort());

    List<Process> processes = new ArrayList<>();
    try (TestNodes remote = new TestNodes()) {
      Lines node =
          new Lines(
              start(
                  processes,
                  JarProcessIT.start(
                      FAST_JOIN,
                      "run",
                      "--cluster",
                      "--listen",
                      "127.0.0.1:0",
                      "--admin",
                      "127.0.0.1:0",
                      "--data-dir",
                      root.resolve("node").toString(),
                      "--config",
                      emptyConfig().toString(),
                      "--set",
                      "cluster.name=" + clusterName,
                      "--set",
                      "cluster.port=" + port,
                      "--set",
                      "cluster.tls.enabled=true",
                      "--set",
                      "cluster.tls.key=" + ca.resolve("node.key"),
                      "--set",
                      "cluster.tls.certificate=" + ca.resolve("node.pem"),
                      "--set",
                      "cluster.tls.ca=" + ca.resolve("ca.pem"))));
      String admin = node.awaitLine(JarProcessIT.NODE_UP).group(1);
      // One member joining at a time: on a busy machine simultaneous joins can split the cluster.
      Lines app =
          new Lines(
              start(processes, ClusterIT.startApp(FAST_JOIN, clusterName, port, tls(ca, "app"))));
      app.awaitLine(READY);
      Lines foreign =
          new Lines(
              start(
                  processes,
                  ClusterIT.startApp(FAST_JOIN, clusterName, port, tls(otherCa, "intruder"))));
      foreign.awaitLine(READY);
      Lines plain = new Lines(start(processes, ClusterIT.startApp(FAST_JOIN, clusterName, port)));
      plain.awaitLine(READY);

      JsonObject info =
          await(remote.http.getAbs("http://" + admin + "/api/node").send()).bodyAsJsonObject();
      String nodeId = info.getString("id");
      BlockingQueue<Message<Buffer>> atRemote = new LinkedBlockingQueue<>();
      await(
          remote
              .vertx
              .eventBus()
              .<Buffer>consumer(new Addresses("remote").topic("tx"), atRemote::add)
              .completion());
      remote.start(
          remote.config(
              root.resolve("remote"),
              "remote",
              Map.of("p2p.dial", nodeId + "@" + info.getString("listen"))));
      String remoteId = remote.id("remote");
      ClusterIT.awaitConnected(remote, nodeId);

      sendFromRemote(remote, nodeId, "hello 1");
      app.awaitLine(Pattern.compile("^received tx from " + remoteId + ": hello 1$"));

      for (Lines intruder : List.of(foreign, plain)) {
        intruder.type("@" + remoteId + " from an intruder\n");
        intruder.type("broadcast from an intruder\n");
        intruder.awaitLine(Pattern.compile("^send failed: "));
        intruder.awaitLine(Pattern.compile("^broadcast failed: "));
      }
      app.type("@" + remoteId + " direct from the app\n");
      Message<Buffer> direct = atRemote.poll(20, TimeUnit.SECONDS);
      if (direct == null) {
        System.out.println(
            "NODE OUTPUT:\n"
                + String.join("\n", node.all())
                + "\nAPP OUTPUT:\n"
                + String.join("\n", app.all()));
      }
      assertThat(direct).as("the app's direct message at the remote peer within 20 s").isNotNull();
      assertThat(direct.body().toString(StandardCharsets.UTF_8)).isEqualTo("direct from the app");
      app.type("broadcast from the app\n");
      assertThat(
              app.awaitLine(Pattern.compile("^broadcast (ok: id [0-9a-f]+|failed: .*)$")).group(1))
          .startsWith("ok");
      assertThat(ClusterIT.nextPayload(atRemote)).isEqualTo("broadcast from the app");

      sendFromRemote(remote, nodeId, "hello 2");
      app.awaitLine(Pattern.compile("^received tx from " + remoteId + ": hello 2$"));
      assertThat(atRemote).as("nothing from the intruders reached the remote peer").isEmpty();
      assertThat(foreign.count(Pattern.compile("^received ")))
          .as("messages at the foreign-CA intruder")
          .isZero();
      assertThat(plain.count(Pattern.compile("^received ")))
          .as("messages at the intruder without TLS")
          .isZero();
      // Each refusal is logged once, however often the intruders (or the node, for each message
      // published to their consumers) try again.
      List<String> failedMembers = node.all(Pattern.compile("Connecting to server (\\S+) failed"));
      assertThat(failedMembers)
          .as("the node's connections to the intruders")
          .doesNotHaveDuplicates();
      assertThat(node.all(Pattern.compile("a TLS handshake failed: (.*)")))
          .as("TLS refusals")
          .doesNotHaveDuplicates();
      assertThat(node.count(Pattern.compile("ConnectionBase - .*SSLHandshakeException")))
          .as("Vert.x's own lines")
          .isZero();
      System.out.println(
          "the node's lines about refused members:\n"
              + String.join(
                  "\n", node.all().stream().filter(l -> l.contains(" cluster: ")).toList()));
    } finally {
      processes.forEach(Process::destroy);
      for (Process p : processes) {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  @Test
  void anIncompleteTlsSetupStopsTheNodeWithOneLinePerProblem() throws Exception {
    Process node =
        JarProcessIT.start(
            "run",
            "--cluster",
            "--listen",
            "127.0.0.1:0",
            "--admin",
            "127.0.0.1:0",
            "--data-dir",
            root.resolve("node").toString(),
            "--config",
            emptyConfig().toString(),
            "--set",
            "cluster.name=canopy-tls-it-" + UUID.randomUUID(),
            "--set",
            "cluster.tls.enabled=true",
            "--set",
            "cluster.tls.ca=" + root.resolve("absent.pem"));
    Lines out = new Lines(node);
    assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).isEqualTo(2);
    Awaitility.await()
        .atMost(PATIENCE)
        .until(() -> out.count(Pattern.compile("^config error: ")) == 2);
    assertThat(out.all())
        .contains(
            "config error: cluster.tls.key: required when cluster.tls.enabled is true (PEM file of this member's private key)",
            "config error: cluster.tls.certificate: required when cluster.tls.enabled is true "
                + "(PEM file of this member's certificate)");
  }

  private static String[] tls(Path dir, String member) {
    return new String[] {
      "--tls-key",
      dir.resolve(member + ".key").toString(),
      "--tls-cert",
      dir.resolve(member + ".pem").toString(),
      "--tls-ca",
      dir.resolve("ca.pem").toString()
    };
  }

  private static Process start(List<Process> processes, Process process) {
    processes.add(process);
    return process;
  }

  private static void sendFromRemote(TestNodes remote, String nodeId, String text)
      throws Exception {
    await(
        remote
            .vertx
            .eventBus()
            .request(
                new Addresses("remote").send(),
                Buffer.buffer(text),
                new DeliveryOptions()
                    .addHeader(Addresses.HEADER_PEER, nodeId)
                    .addHeader(Addresses.HEADER_TOPIC, "tx")));
  }

  private Path emptyConfig() throws IOException {
    Path file = root.resolve("config.yaml");
    Files.writeString(file, "# empty: defaults and flags only\n");
    return file;
  }

  /**
   * Every line a process printed, kept so a test can both wait for a line and count lines
   * afterwards.
   */
  private static final class Lines {
    private final Process process;
    private final List<String> lines = new ArrayList<>();

    Lines(Process process) {
      this.process = process;
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader in =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                      lines.add(line);
                    }
                  }
                } catch (IOException ignored) {
                  // the process ended
                }
              },
              "process-output");
      reader.setDaemon(true);
      reader.start();
    }

    List<String> all() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    Matcher awaitLine(Pattern pattern) {
      Matcher[] found = new Matcher[1];
      try {
        Awaitility.await()
            .atMost(PATIENCE)
            .pollInterval(Duration.ofMillis(50))
            .until(
                () ->
                    all().stream()
                        .map(pattern::matcher)
                        .filter(Matcher::find)
                        .findFirst()
                        .map(m -> found[0] = m)
                        .isPresent());
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(
            "no line matching "
                + pattern
                + " within "
                + PATIENCE
                + "; the process printed:\n"
                + String.join("\n", all()),
            e);
      }
      return found[0];
    }

    /** The first group of every line matching {@code pattern}. */
    List<String> all(Pattern pattern) {
      return all().stream()
          .map(pattern::matcher)
          .filter(Matcher::find)
          .map(m -> m.group(1))
          .toList();
    }

    long count(Pattern pattern) {
      return all().stream().filter(l -> pattern.matcher(l).find()).count();
    }

    void type(String text) throws IOException {
      Writer in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
      in.write(text);
      in.flush();
    }
  }
}
