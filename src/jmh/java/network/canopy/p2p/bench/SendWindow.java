package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps up to {@code window} send requests to a node outstanding, as an application streaming to a
 * peer would: each acknowledged request makes room for the next; a "queue full" refusal waits a
 * little (1 ms, doubling to 16 ms) and retries the same message; any other refusal stops the window
 * and is reported. Confined to the event loop it was started on.
 */
final class SendWindow {

  private static final long MAX_BACKOFF_MS = 16;

  private final Vertx vertx;
  private final String address;
  private final DeliveryOptions options;
  private final Buffer payload;
  private final int window;
  private final AtomicLong accepted = new AtomicLong();
  private int slots;
  private boolean running;
  private long backoffMs;
  private Promise<Void> stopped;
  private volatile Throwable failure;

  SendWindow(Vertx vertx, String address, DeliveryOptions options, Buffer payload, int window) {
    this.vertx = vertx;
    this.address = address;
    this.options = options;
    this.payload = payload;
    this.window = window;
  }

  /** True for the node's back-pressure answer: try again later. */
  static boolean isQueueFull(Throwable error) {
    if (error instanceof ReplyException reply) {
      String message = reply.getMessage();
      return reply.failureCode() == 503
          || (message != null && message.toLowerCase().contains("queue full"));
    }
    return false;
  }

  void start() {
    running = true;
    for (int i = 0; i < window; i++) {
      slots++;
      send();
    }
  }

  private void send() {
    vertx
        .eventBus()
        .request(address, payload, options)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                accepted.incrementAndGet();
                backoffMs = 0;
                next();
              } else if (isQueueFull(ar.cause()) && running) {
                backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1, backoffMs * 2));
                vertx.setTimer(backoffMs, id -> next());
              } else if (!isQueueFull(ar.cause())) {
                failure = ar.cause();
                running = false;
                endSlot();
              } else {
                endSlot();
              }
            });
  }

  private void next() {
    if (running) {
      send();
    } else {
      endSlot();
    }
  }

  private void endSlot() {
    slots--;
    if (slots == 0 && stopped != null) {
      stopped.complete();
    }
  }

  /** No new requests; completes when every outstanding one is answered. Call on the same loop. */
  Future<Void> stop() {
    running = false;
    stopped = Promise.promise();
    if (slots == 0) {
      stopped.complete();
    }
    return stopped.future();
  }

  /** Messages the node took (acknowledged sends): what the receiver should eventually get. */
  long accepted() {
    return accepted.get();
  }

  Throwable failure() {
    return failure;
  }
}
