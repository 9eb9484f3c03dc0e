package network.canopy.p2p.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocks a fixture's {@code close()} until a Vert.x future completes. A close must finish even when
 * the test thread is interrupted (the interrupt is kept for the caller), so fixtures need not
 * declare InterruptedException — which javac's {@code -Xlint:try} flags on an AutoCloseable.
 */
public final class Blocking {

  private Blocking() {}

  /** Waits at most {@code limit} for {@code future}; fails with its cause or on the timeout. */
  public static <T> T awaitClosing(Future<T> future, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future
              .toCompletionStage()
              .toCompletableFuture()
              .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("closing failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("closing took longer than " + limit, e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
