package network.canopy.p2p.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import network.canopy.p2p.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node in its own Vert.x instance, as the {@code run} command starts it: deploy, wait for a
 * stop request (SIGTERM/SIGINT or {@link #stop()}), shut the node down in order, close Vert.x.
 */
public final class NodeRunner {

  private static final Logger log = LoggerFactory.getLogger(NodeRunner.class);
  private static final long STEP_TIMEOUT_S = 15;

  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean stopping = new AtomicBoolean();
  private volatile NodeVerticle node;
  private volatile String deploymentId;

  public NodeRunner(Vertx vertx, PrometheusMeterRegistry registry) {
    this.vertx = vertx;
    this.registry = registry;
  }

  /**
   * Deploys the node and waits for it, on the calling thread. When any part cannot start, Vert.x is
   * closed (from this thread: a close chained on its own event loop would run on a dead one) and
   * the cause is thrown.
   */
  public void start(NodeConfig config, long timeoutSeconds) throws Exception {
    NodeVerticle verticle = new NodeVerticle(config, registry);
    try {
      deploymentId =
          vertx
              .deployVerticle(verticle)
              .toCompletionStage()
              .toCompletableFuture()
              .get(timeoutSeconds, TimeUnit.SECONDS);
      node = verticle;
    } catch (ExecutionException | TimeoutException e) {
      step("close Vert.x", vertx.close());
      stopped.countDown();
      throw e instanceof ExecutionException ee && ee.getCause() instanceof Exception cause
          ? cause
          : e;
    }
  }

  /**
   * Stops the node once, whoever asks first; later callers wait for that stop. Blocks: call it from
   * a thread of its own (a signal handler thread, a test thread), never from an event loop.
   */
  public void stop() {
    if (!stopping.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    log.info("stopping node");
    NodeVerticle current = node;
    if (current != null) {
      step("shut down", current.shutdown());
      step("undeploy", vertx.undeploy(deploymentId));
    }
    step("close Vert.x", vertx.close());
    stopped.countDown();
  }

  /** Blocks until the node has stopped. */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void step(String what, Future<?> future) {
    try {
      future.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.warn("{} did not complete cleanly: {}", what, e.toString());
    }
  }
}
