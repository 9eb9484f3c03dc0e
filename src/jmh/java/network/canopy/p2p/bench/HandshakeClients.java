package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetClient;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many concurrent clients on one event loop, each looping connect, handshake, hang up, until told
 * to stop. A full handshake every time: nothing is cached between connections.
 */
final class HandshakeClients extends VerticleBase {

  private final HandshakeKind kind;
  private final int port;
  private final int concurrency;
  private final AtomicLong failed = new AtomicLong();
  private volatile String eventLoop;
  private volatile Throwable firstFailure;

  /** Held on purpose: Vert.x closes a NetClient, and its connections, once it is garbage. */
  private NetClient client;

  private boolean running;
  private int active;
  private Promise<Void> stopped;

  HandshakeClients(HandshakeKind kind, int port, int concurrency) {
    this.kind = kind;
    this.port = port;
    this.concurrency = concurrency;
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    client = vertx.createNetClient(kind.clientOptions());
    running = true;
    for (int i = 0; i < concurrency; i++) {
      active++;
      next();
    }
    return Future.succeededFuture();
  }

  private void next() {
    if (!running) {
      if (--active == 0 && stopped != null) {
        stopped.complete();
      }
      return;
    }
    client
        .connect(port, "127.0.0.1")
        .compose(socket -> kind.initiate(vertx, socket).eventually(socket::close))
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (failed.getAndIncrement() == 0) {
                  firstFailure = ar.cause();
                }
              }
              next();
            });
  }

  /** Lets every client finish its current handshake, then completes. */
  Future<Void> stopLoops() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          running = false;
          stopped = done;
          if (active == 0) {
            done.complete();
          }
        });
    return done.future();
  }

  long failed() {
    return failed.get();
  }

  /** The first failed handshake's error, or null: one example is enough to explain a count. */
  Throwable firstFailure() {
    return firstFailure;
  }

  String eventLoop() {
    return eventLoop;
  }
}
