package network.canopy.p2p.node;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import network.canopy.p2p.config.ClusterConfig;
import network.canopy.p2p.config.ClusterTlsConfig;
import network.canopy.p2p.crypto.ClusterCertificates;
import network.canopy.p2p.crypto.ClusterCertificates.Issued;

/**
 * What mutual TLS costs on the clustered event bus: request/reply latency between two clustered
 * Vert.x instances (two Hazelcast members, built as the node builds its own) on loopback, without
 * and with cluster.tls, one request in flight. A measurement to run by hand, not a test: {@code
 * java -cp target/test-classes:target/canopy-p2p.jar network.canopy.p2p.node.ClusterLatency
 * [requests] [bytes] [rounds]}
 */
public final class ClusterLatency {
  private ClusterLatency() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    System.setProperty("hazelcast.wait.seconds.before.join", "0");
    ClusterTlsConfig tls = certificates(Files.createTempDirectory("cluster-latency"));
    for (int round = 0; round < rounds; round++) {
      for (ClusterTlsConfig mode : List.of(ClusterTlsConfig.OFF, tls)) {
        long[] nanos = measure(mode, requests, bytes);
        System.out.printf(
            "%-5s %d requests of %d B: p50 %.1f us, p99 %.1f us%n",
            mode.enabled() ? "tls" : "plain",
            requests,
            bytes,
            nanos[nanos.length / 2] / 1e3,
            nanos[(int) (nanos.length * 0.99)] / 1e3);
      }
    }
    System.exit(0);
  }

  private static long[] measure(ClusterTlsConfig tls, int requests, int bytes) throws Exception {
    ClusterConfig cluster =
        new ClusterConfig(
            true,
            "latency-" + UUID.randomUUID(),
            "127.0.0.1",
            SecondJvm.freePort(),
            List.of("127.0.0.1"),
            tls);
    Vertx responder = VertxBootstrap.createClustered(VertxBootstrap.newRegistry(), cluster).await();
    Vertx requester = VertxBootstrap.createClustered(VertxBootstrap.newRegistry(), cluster).await();
    try {
      responder
          .eventBus()
          .<Buffer>consumer("latency.echo", msg -> msg.reply(msg.body()))
          .completion()
          .await();
      Buffer payload = Buffer.buffer(new byte[bytes]);
      for (int i = 0; i < requests / 4; i++) { // warm-up: JIT, connections, TLS sessions
        requester.eventBus().request("latency.echo", payload).await();
      }
      long[] nanos = new long[requests];
      for (int i = 0; i < requests; i++) {
        long start = System.nanoTime();
        requester.eventBus().request("latency.echo", payload).await();
        nanos[i] = System.nanoTime() - start;
      }
      Arrays.sort(nanos);
      return nanos;
    } finally {
      requester.close().await();
      responder.close().await();
    }
  }

  private static ClusterTlsConfig certificates(Path dir) throws Exception {
    Issued ca = ClusterCertificates.newAuthority("latency CA", Duration.ofDays(1));
    Issued member = ClusterCertificates.issueMember(ca, "member", Duration.ofDays(1));
    Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
    Files.writeString(dir.resolve("member.pem"), member.certificatePem());
    Files.writeString(dir.resolve("member.key"), member.keyPem());
    return new ClusterTlsConfig(
        true, dir.resolve("member.key"), dir.resolve("member.pem"), dir.resolve("ca.pem"));
  }
}
