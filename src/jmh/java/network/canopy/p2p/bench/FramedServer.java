package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

/**
 * Receiving end of a baseline (plain TCP or TLS): counts every length-prefixed payload it is
 * handed, or, in echo mode, sends each one straight back (round-trip runs).
 */
final class FramedServer extends VerticleBase {

  private final NetServerOptions options;
  private final DeliveryCounter delivered = new DeliveryCounter();
  private volatile boolean echo;
  private volatile int port;
  private volatile String eventLoop;

  FramedServer(NetServerOptions options) {
    this.options = options;
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    return vertx
        .createNetServer(options)
        .connectHandler(this::accept)
        .listen(0, "127.0.0.1")
        .onSuccess(server -> port = server.actualPort());
  }

  private void accept(NetSocket socket) {
    socket.handler(
        LengthPrefixed.reader(
            payload -> {
              if (echo) {
                LengthPrefixed.write(socket, payload);
              } else {
                delivered.add(payload.length());
              }
            }));
  }

  /** Set by the main thread between runs, never during one. */
  void echo(boolean on) {
    echo = on;
  }

  DeliveryCounter delivered() {
    return delivered;
  }

  int port() {
    return port;
  }

  String eventLoop() {
    return eventLoop;
  }
}
