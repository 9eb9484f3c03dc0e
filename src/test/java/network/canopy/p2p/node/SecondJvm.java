package network.canopy.p2p.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.config.ClusterConfig;
import network.canopy.p2p.config.ClusterTlsConfig;

/**
 * What the tests that run an application or a node in another JVM share: starting that JVM with the
 * module opens the build gives the tests, and this JVM's end of a loopback-only Hazelcast cluster.
 */
final class SecondJvm {

  private SecondJvm() {}

  /**
   * Starts {@code main} with {@code args} in a fresh JVM on {@code classPath}, after the build's
   * {@code canopy.jvm.opens} and {@code jvmFlags}; its stdout and stderr come merged.
   */
  static Process start(List<String> jvmFlags, String classPath, Class<?> main, List<String> args)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java));
    command.addAll(Arrays.asList(System.getProperty("canopy.jvm.opens", "").split(" +")));
    command.removeIf(String::isEmpty);
    command.addAll(jvmFlags);
    command.addAll(List.of("-cp", classPath, main.getName()));
    command.addAll(args);
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  /** {@link #start} on this JVM's own class path (surefire's or failsafe's). */
  static Process start(List<String> jvmFlags, Class<?> main, List<String> args) throws IOException {
    return start(jvmFlags, System.getProperty("java.class.path"), main, args);
  }

  /** The options the example cluster apps take to join this JVM's loopback cluster. */
  static List<String> clusterAppArgs(String clusterName, int port, String prefix, String topic) {
    return List.of(
        "--cluster-name",
        clusterName,
        "--port",
        String.valueOf(port),
        "--members",
        "127.0.0.1",
        "--prefix",
        prefix,
        "--topic",
        topic);
  }

  /**
   * A clustered Vert.x of this JVM joining {@code clusterName} over TCP-IP on 127.0.0.1 only
   * (multicast off), its member at {@code port}; members join at once rather than after Hazelcast's
   * default wait.
   */
  static Vertx joinLoopbackCluster(PrometheusMeterRegistry registry, String clusterName, int port)
      throws Exception {
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    return VertxBootstrap.createClustered(
            registry,
            new ClusterConfig(
                true, clusterName, "127.0.0.1", port, List.of("127.0.0.1"), ClusterTlsConfig.OFF))
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  /** A loopback port the OS just handed out and took back: free unless something grabs it. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
