package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicLong;

/** The one server of the handshake figure: counts the handshakes it completes, then hangs up. */
final class HandshakeServer extends VerticleBase {

  private final HandshakeKind kind;
  private final DeliveryCounter completed = new DeliveryCounter();
  private final AtomicLong failed = new AtomicLong();
  private volatile int port;
  private volatile String eventLoop;

  HandshakeServer(HandshakeKind kind) {
    this.kind = kind;
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    return vertx
        .createNetServer(kind.serverOptions())
        .connectHandler(this::accept)
        .listen(0, "127.0.0.1")
        .onSuccess(server -> port = server.actualPort());
  }

  private void accept(NetSocket socket) {
    kind.respond(vertx, socket)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                completed.add(0);
              } else {
                failed.incrementAndGet();
              }
              socket.close();
            });
  }

  DeliveryCounter completed() {
    return completed;
  }

  long failed() {
    return failed.get();
  }

  int port() {
    return port;
  }

  String eventLoop() {
    return eventLoop;
  }
}
