package network.canopy.p2p.transport;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.wire.HandshakeCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts inbound TCP connections on {@code p2p.listen}, refuses them cheaply when too many
 * handshakes are already in progress, runs the responder handshake under its deadline, and hands
 * each authenticated connection to the node (the PeerSet decides admission).
 */
public final class ListenerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ListenerVerticle.class);

  private final HostPort listen;
  private final long handshakeTimeoutMs;
  private final int maxPendingHandshakes;
  private final Supplier<HandshakeCredentials> credentials;
  private final Consumer<EncryptedConn> authenticated;
  private final HandshakeMetrics metrics;
  private final AtomicInteger pending = new AtomicInteger();
  private NetServer server;

  /**
   * @param credentials read per connection: they carry the advertised address, known only once
   *     this listener has bound; connections arriving before that are closed
   */
  public ListenerVerticle(HostPort listen, long handshakeTimeoutMs, int maxPendingHandshakes,
      Supplier<HandshakeCredentials> credentials, Consumer<EncryptedConn> authenticated,
      HandshakeMetrics metrics) {
    this.listen = listen;
    this.handshakeTimeoutMs = handshakeTimeoutMs;
    this.maxPendingHandshakes = maxPendingHandshakes;
    this.credentials = credentials;
    this.authenticated = authenticated;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(new NetServerOptions().setHost(listen.host()).setPort(listen.port())
        .setTcpNoDelay(true));
    return server.connectHandler(this::accept).listen()
        .onSuccess(s -> log.info("p2p listening on {}", boundAddress()));
  }

  /** The address actually bound (port 0 in config becomes the chosen port). */
  public HostPort boundAddress() {
    return new HostPort(listen.host(), server == null ? listen.port() : server.actualPort());
  }

  private void accept(NetSocket socket) {
    HandshakeCredentials local = credentials.get();
    if (local == null) {
      socket.close();
      return;
    }
    if (pending.incrementAndGet() > maxPendingHandshakes) {
      pending.decrementAndGet();
      metrics.refused("pending_handshakes");
      log.debug("refused {}: {} handshakes already in progress", socket.remoteAddress(), maxPendingHandshakes);
      socket.close();
      return;
    }
    SocketHandshake.respond(vertx, socket, local, handshakeTimeoutMs)
        .onComplete(ar -> {
          pending.decrementAndGet();
          metrics.record("responder", ar);
          if (ar.succeeded()) {
            authenticated.accept(ar.result());
          }
        });
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
