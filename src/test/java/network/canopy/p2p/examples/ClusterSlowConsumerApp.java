package network.canopy.p2p.examples;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A slow application in its own JVM: joins a node's Vert.x cluster, consumes one topic (or several,
 * {@code --topic tx,consensus}, each on its own worker) at 2 ms per message, and acknowledges each
 * message's {@code p2p-seq} on {@code <prefix>.topic.<name>.ack} (README, "Flow control"). Payloads
 * are decimal sequence numbers: every 500 ms it prints {@code count N last M disorder D} per topic
 * (D: messages that did not follow their predecessor), followed by {@code topic T} when it consumes
 * several. A payload {@code probe} is acknowledged and answered with one line {@code probe} (per
 * topic: {@code probe T}), so a test knows messages reach it. Runs until its stdin closes.
 */
public final class ClusterSlowConsumerApp {

  private ClusterSlowConsumerApp() {}

  /**
   * Arguments as {@link ClusterChatApp}: --cluster-name --host --port --members --prefix --topic.
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = ClusterChatApp.options(args);
    Vertx vertx =
        ClusterChatApp.joinCluster(
            opts, new HazelcastClusterManager(ClusterChatApp.hazelcast(opts)));
    String[] names = opts.getOrDefault("topic", "tx").split(",");
    for (String name : names) {
      String topic = opts.getOrDefault("prefix", "p2p") + ".topic." + name;
      String suffix = names.length > 1 ? " " + name : "";
      vertx
          .deployVerticle(
              new SlowConsumer(topic, suffix),
              new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER))
          .await();
      System.out.println("ready: consuming " + topic);
    }
    while (System.in.read() >= 0) {
      // until the test closes our stdin (or kills us)
    }
    vertx.close().await();
  }

  /** On a worker thread, so the 2 ms of work per message may block. */
  private static final class SlowConsumer extends VerticleBase {
    private final String topic;

    /** Empty, or " T" naming the topic when the application consumes several. */
    private final String suffix;

    private long count;
    private long last;
    private long disorder;
    private boolean probed;

    SlowConsumer(String topic, String suffix) {
      this.topic = topic;
      this.suffix = suffix;
    }

    @Override
    public Future<?> start() {
      vertx.setPeriodic(
          500,
          id ->
              System.out.println(
                  "count "
                      + count
                      + " last "
                      + last
                      + " disorder "
                      + disorder
                      + (suffix.isEmpty() ? "" : " topic" + suffix)));
      return vertx
          .eventBus()
          .<Buffer>consumer(
              topic,
              msg -> {
                String body = msg.body().toString(StandardCharsets.UTF_8).trim();
                if (body.equals("probe")) {
                  if (!probed) {
                    probed = true;
                    System.out.println("probe" + suffix);
                  }
                  vertx.eventBus().send(topic + ".ack", msg.headers().get("p2p-seq"));
                  return;
                }
                long n = Long.parseLong(body);
                if (n != last + 1) {
                  disorder++;
                }
                last = n;
                count++;
                try {
                  TimeUnit.MILLISECONDS.sleep(2);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                vertx.eventBus().send(topic + ".ack", msg.headers().get("p2p-seq"));
              })
          .completion();
    }
  }
}
