package network.canopy.p2p.examples;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Example validator in its own JVM: joins a node's Vert.x cluster and judges every new gossip
 * message of one topic on {@code <prefix>.validate.<topic>} — {@code reject} when the payload
 * contains "bad", else {@code accept}. Prints each verdict. Runs until its stdin closes.
 */
public final class ClusterValidatorApp {

  private ClusterValidatorApp() {}

  /**
   * Arguments as {@link ClusterChatApp}: --cluster-name --host --port --members --prefix --topic.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ClusterChatApp.options(args);
    Vertx vertx =
        ClusterChatApp.joinCluster(
            opts, new HazelcastClusterManager(ClusterChatApp.hazelcast(opts)));
    String address =
        opts.getOrDefault("prefix", "p2p") + ".validate." + opts.getOrDefault("topic", "tx");
    vertx
        .eventBus()
        .<Buffer>consumer(
            address,
            msg -> {
              String payload = msg.body().toString(StandardCharsets.UTF_8);
              String verdict = payload.contains("bad") ? "reject" : "accept";
              System.out.println(
                  verdict + " " + payload + " from " + msg.headers().get("p2p-peer"));
              msg.reply(verdict);
            })
        .completion()
        .await();
    System.out.println("ready: validating on " + address);
    while (System.in.read() >= 0) {
      // until the test closes our stdin (or kills us)
    }
    vertx.close().await();
  }
}
