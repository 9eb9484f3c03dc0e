package network.canopy.p2p.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node in its own Vert.x instance, as the {@code run} command starts it: deploy, wait for a stop
 * request (SIGTERM/SIGINT or {@link #stop()}), undeploy cleanly, close Vert.x.
 */
public final class NodeRunner {

  private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Promise<Void> stopDone = Promise.promise();
  private volatile String deploymentId;

  public NodeRunner(Vertx vertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  /** Deploys the node; the future fails (and Vert.x is closed) when any part cannot start. */
  public Future<String> start(NodeConfig config) {
    return vertx.deployVerticle(new NodeVerticle(config, registry))
        .onSuccess(id -> deploymentId = id)
        .recover(err -> vertx.close().transform(v -> Future.<String>failedFuture(err)));
  }

  /** Stops the node once, whoever asks first; every caller gets the same completion. */
  public Future<Void> stop() {
    if (stopping.compareAndSet(false, true)) {
      log.info("stopping node");
      String id = deploymentId;
      Future<Void> undeploy = id == null ? Future.succeededFuture() : vertx.undeploy(id);
      undeploy.recover(err -> {
        log.warn("clean undeploy failed: {}", err.toString());
        return Future.succeededFuture();
      }).compose(v -> vertx.close()).onComplete(ar -> {
        stopped.countDown();
        stopDone.tryComplete();
      });
    }
    return stopDone.future();
  }

  /** Blocks the calling (non-event-loop) thread until the node has stopped. */
  public void awaitStopped() throws InterruptedException {
    stopped.await();
  }
}
