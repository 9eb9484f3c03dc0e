package network.canopy.p2p.transport;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.wire.HandshakeCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepting instance of a node's listener, on its own event loop: Vert.x shares the bound port
 * among the instances and hands each accepted socket to one of them in turn. Screens the socket
 * with the shared {@link InboundFilter}, then runs the responder handshake.
 */
final class AcceptorVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AcceptorVerticle.class);

  /** What every instance of one listener shares. */
  record Shared(
      SocketAddress bind,
      InboundFilter filter,
      long handshakeTimeoutMs,
      Supplier<HandshakeCredentials> credentials,
      Consumer<EncryptedConn> authenticated,
      HandshakeMetrics metrics,
      RefusalSummary refusals,
      SocketTuning tuning,
      MemoryBudget budget) {}

  private final Shared shared;
  private NetServer server;

  AcceptorVerticle(Shared shared) {
    this.shared = shared;
  }

  @Override
  public Future<?> start() {
    server = vertx.createNetServer(shared.tuning().applyTo(new NetServerOptions()));
    return server.connectHandler(this::accept).listen(shared.bind());
  }

  /** The port actually bound; the same for every instance of one listener. */
  int actualPort() {
    return server == null ? -1 : server.actualPort();
  }

  private void accept(NetSocket socket) {
    HandshakeCredentials local = shared.credentials().get();
    InetAddress remote = SocketWatch.remoteIp(socket);
    if (local == null || remote == null) {
      // Not ready yet (the advertised address is set once bound), or the peer is already gone.
      socket.close();
      return;
    }
    Optional<Refusal> refusal = shared.filter().admit(remote);
    if (refusal.isPresent()) {
      refuse(socket, refusal.get());
      return;
    }
    shared.tuning().applyTo(socket);
    // Registered before the handshake so the slot comes back however the socket ends later.
    SocketWatch.onClosed(socket, () -> shared.filter().connectionClosed(remote));
    SocketHandshake.respond(vertx, socket, local, shared.handshakeTimeoutMs(), shared.budget())
        .onComplete(
            ar -> {
              shared.filter().handshakeFinished(remote);
              shared.metrics().record("responder", ar);
              if (ar.succeeded()) {
                shared.authenticated().accept(ar.result());
              } else {
                shared.refusals().add(HandshakeMetrics.result(ar));
              }
            });
  }

  private void refuse(NetSocket socket, Refusal refusal) {
    shared.metrics().refused(refusal);
    shared.refusals().add(refusal.name());
    if (log.isDebugEnabled()) {
      log.debug("refused {}: {}", socket.remoteAddress(), refusal.reason());
    }
    socket.close();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
