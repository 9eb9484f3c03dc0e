package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
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
import java.util.regex.Pattern;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.examples.ClusterChatApp;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode across processes: the node (fat jar, {@code --cluster}) in one JVM, the example app
 * ({@link ClusterChatApp}) in a second, Hazelcast on loopback between them; a remote peer (a plain
 * node in this test's JVM) talks to the clustered node over P2P.
 */
class ClusterIT {

  private static final String TOPIC = "tx";

  @TempDir Path root;

  @Test
  void anAppInAnotherJvmReceivesTopicMessagesAndItsSendsAndBroadcastsReachTheRemotePeer()
      throws Exception {
    String clusterName = "canopy-it-" + UUID.randomUUID();
    String hazelcastPort = String.valueOf(SecondJvm.freePort());
    List<String> fastJoin = List.of("-Dhazelcast.wait.seconds.before.join=0");
    Process node =
        JarProcessIT.start(
            fastJoin,
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
            "cluster.port=" + hazelcastPort);
    // Both JVMs start at once: whichever comes first binds the Hazelcast port, the other the next
    // one.
    Process app = startApp(fastJoin, clusterName, hazelcastPort);
    try (TestNodes remote = new TestNodes()) {
      BlockingQueue<String> nodeLines = JarProcessIT.pump(node);
      BlockingQueue<String> appLines = JarProcessIT.pump(app);
      String admin = JarProcessIT.awaitMatch(nodeLines, JarProcessIT.NODE_UP).group(1);
      JsonObject info =
          await(remote.http.getAbs("http://" + admin + "/api/node").send()).bodyAsJsonObject();
      JarProcessIT.awaitMatch(appLines, Pattern.compile("^ready: listening on p2p\\.topic\\.tx"));

      BlockingQueue<Message<Buffer>> atRemote = new LinkedBlockingQueue<>();
      await(
          remote
              .vertx
              .eventBus()
              .<Buffer>consumer(new Addresses("remote").topic(TOPIC), atRemote::add)
              .completion());
      remote.start(
          remote.config(
              root.resolve("remote"),
              "remote",
              Map.of("p2p.dial", info.getString("id") + "@" + info.getString("listen"))));
      String remoteId = remote.id("remote");
      awaitConnected(remote, info.getString("id"));

      await(
          remote
              .vertx
              .eventBus()
              .request(
                  new Addresses("remote").send(),
                  Buffer.buffer("hello from the remote peer"),
                  new DeliveryOptions()
                      .addHeader(Addresses.HEADER_PEER, info.getString("id"))
                      .addHeader(Addresses.HEADER_TOPIC, TOPIC)));
      JarProcessIT.awaitMatch(
          appLines,
          Pattern.compile("^received tx from " + remoteId + ": hello from the remote peer$"));

      Writer toApp = new java.io.OutputStreamWriter(app.getOutputStream(), StandardCharsets.UTF_8);
      toApp.write("@" + remoteId + " direct from the app\n");
      toApp.flush();
      assertThat(nextPayload(atRemote)).isEqualTo("direct from the app");

      toApp.write("broadcast from the app\n");
      toApp.flush();
      String outcome =
          JarProcessIT.awaitMatch(
                  appLines, Pattern.compile("^broadcast (ok: id [0-9a-f]+|failed: .*)$"))
              .group(1);
      assertThat(outcome).startsWith("ok");
      assertThat(nextPayload(atRemote)).isEqualTo("broadcast from the app");

    } finally {
      app.destroyForcibly();
      node.destroy();
      node.waitFor(20, TimeUnit.SECONDS);
      node.destroyForcibly();
    }
  }

  /**
   * The example as README tells users to run it: test classes plus the fat jar on the class path.
   */
  static Process startApp(
      List<String> jvmOptions, String clusterName, String hazelcastPort, String... extra)
      throws Exception {
    String testClasses =
        Path.of(ClusterChatApp.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
    String jar = System.getProperty("canopy.jar", "target/canopy-p2p.jar");
    List<String> args =
        new ArrayList<>(
            List.of(
                "--cluster-name",
                clusterName,
                "--port",
                hazelcastPort,
                "--members",
                "127.0.0.1",
                "--topic",
                TOPIC));
    args.addAll(List.of(extra));
    return SecondJvm.start(
        jvmOptions, testClasses + File.pathSeparator + jar, ClusterChatApp.class, args);
  }

  static void awaitConnected(TestNodes remote, String peerId) {
    Awaitility.await("the remote peer connected to the clustered node " + peerId)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                await(
                        remote
                            .vertx
                            .eventBus()
                            .<JsonArray>request(new Addresses("remote").peers(), null))
                    .body()
                    .stream()
                    .anyMatch(p -> peerId.equals(((JsonObject) p).getString("id"))));
  }

  static String nextPayload(BlockingQueue<Message<Buffer>> queue) throws InterruptedException {
    Message<Buffer> msg = queue.poll(20, TimeUnit.SECONDS);
    assertThat(msg).as("a message at the remote peer within 20 s").isNotNull();
    return msg.body().toString(StandardCharsets.UTF_8);
  }

  private Path emptyConfig() throws IOException {
    Path file = root.resolve("config.yaml");
    Files.writeString(file, "# empty: defaults and flags only\n");
    return file;
  }
}
