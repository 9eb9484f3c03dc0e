package network.canopy.p2p.examples;

import com.hazelcast.config.Config;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Example application in its own JVM: joins a node's Vert.x cluster and chats on one topic through
 * the node's public addresses only: {@code p2p.topic.<name>} in, {@code p2p.broadcast} and {@code
 * p2p.send} out. Each stdin line is broadcast; a line {@code @<peer id> text} is sent to that one
 * peer. See README, "Cluster mode", for how to run it.
 */
public final class ClusterChatApp extends VerticleBase {

  private final String prefix;
  private final String topic;

  ClusterChatApp(String prefix, String topic) {
    this.prefix = prefix;
    this.topic = topic;
  }

  /**
   * Arguments: --cluster-name N --host H --port P --members A,B --prefix p2p --topic tx [--tls-key
   * F --tls-cert F --tls-ca F] (all optional).
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    HazelcastClusterManager hazelcast = new HazelcastClusterManager(hazelcast(opts));
    Vertx vertx = joinCluster(opts, hazelcast);
    ClusterChatApp app =
        new ClusterChatApp(opts.getOrDefault("prefix", "p2p"), opts.getOrDefault("topic", "tx"));
    vertx.deployVerticle(app).await();
    System.out.println(
        "ready: listening on "
            + app.prefix
            + ".topic."
            + app.topic
            + " as cluster member "
            + hazelcast.getNodeId());
    app.readStdin(vertx);
    vertx.close().await();
  }

  /** A clustered Vert.x joined as the options say (the event bus on --host, TLS when given). */
  static Vertx joinCluster(Map<String, String> opts, HazelcastClusterManager hazelcast) {
    return Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(eventBus(opts)))
        .withClusterManager(hazelcast)
        .buildClustered()
        .await();
  }

  /**
   * With --tls-key, --tls-cert and --tls-ca (PEM files, as the node's cluster.tls.*): the same
   * mutual TLS as the node, without which the node's event bus refuses this app.
   */
  private static EventBusOptions eventBus(Map<String, String> opts) {
    EventBusOptions options =
        new EventBusOptions().setHost(opts.getOrDefault("host", "127.0.0.1")).setPort(0);
    if (!opts.containsKey("tls-key")) {
      return options;
    }
    return options
        .setSsl(true)
        .setKeyCertOptions(
            new PemKeyCertOptions()
                .setKeyPath(opts.get("tls-key"))
                .setCertPath(opts.get("tls-cert")))
        .setTrustOptions(new PemTrustOptions().addCertPath(opts.get("tls-ca")))
        .setClientAuth(ClientAuth.REQUIRED);
  }

  /** The same join settings as the node's cluster.* keys: TCP-IP on known members, no multicast. */
  static Config hazelcast(Map<String, String> opts) {
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(opts.getOrDefault("cluster-name", "canopy"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(Integer.parseInt(opts.getOrDefault("port", "5801"))).setPortAutoIncrement(true);
    network
        .getInterfaces()
        .setEnabled(true)
        .clear()
        .addInterface(opts.getOrDefault("host", "127.0.0.1"));
    network.getJoin().getAutoDetectionConfig().setEnabled(false);
    network.getJoin().getMulticastConfig().setEnabled(false);
    network
        .getJoin()
        .getTcpIpConfig()
        .setEnabled(true)
        .setMembers(List.of(opts.getOrDefault("members", "127.0.0.1").split(",")));
    return config;
  }

  @Override
  public Future<?> start() {
    // A cluster-wide consumer: the node publishes each received message once to every subscriber.
    return vertx
        .eventBus()
        .<Buffer>consumer(prefix + ".topic." + topic, this::received)
        .completion();
  }

  private void received(Message<Buffer> msg) {
    System.out.println(
        "received "
            + msg.headers().get("p2p-topic")
            + " from "
            + msg.headers().get("p2p-peer")
            + ": "
            + msg.body().toString(StandardCharsets.UTF_8));
  }

  /** Blocks the main thread on stdin; the event bus calls run on Vert.x threads. */
  private void readStdin(Vertx vertx) throws Exception {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.startsWith("@") && line.indexOf(' ') > 1) {
        send(vertx, line.substring(1, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1));
      } else if (!line.isBlank()) {
        broadcast(vertx, line);
      }
    }
  }

  private void broadcast(Vertx vertx, String text) {
    DeliveryOptions options = new DeliveryOptions().addHeader("p2p-topic", topic);
    vertx
        .eventBus()
        .request(prefix + ".broadcast", Buffer.buffer(text), options)
        .onSuccess(reply -> System.out.println("broadcast ok: id " + reply.body()))
        .onFailure(err -> System.out.println("broadcast failed: " + err.getMessage()));
  }

  private void send(Vertx vertx, String peer, String text) {
    DeliveryOptions options =
        new DeliveryOptions().addHeader("p2p-topic", topic).addHeader("p2p-peer", peer);
    vertx
        .eventBus()
        .request(prefix + ".send", Buffer.buffer(text), options)
        .onSuccess(reply -> System.out.println("send ok: " + peer))
        .onFailure(err -> System.out.println("send failed: " + err.getMessage()));
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> opts = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      if (!args[i].startsWith("--")) {
        throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
      }
      opts.put(args[i].substring(2), args[i + 1]);
    }
    return opts;
  }
}
