package network.canopy.p2p.bench;

import io.vertx.core.Vertx;

/**
 * Starts the handshake figure's server and client verticles (different event loops) and presents
 * the server's completed handshakes as a {@link Flow}, measured like any other rate.
 */
final class HandshakeLoad implements Flow {

  private static final long TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final HandshakeServer server;
  private final String serverDeployment;
  private HandshakeClients clients;
  private String clientsDeployment;

  private HandshakeLoad(Vertx vertx, HandshakeKind kind) throws Exception {
    this.vertx = vertx;
    this.server = new HandshakeServer(kind);
    this.serverDeployment = Await.of(vertx.deployVerticle(server), TIMEOUT_MS);
  }

  static HandshakeLoad start(Vertx vertx, HandshakeKind kind, int concurrency) throws Exception {
    HandshakeLoad load = new HandshakeLoad(vertx, kind);
    load.clients = new HandshakeClients(kind, load.server.port(), concurrency);
    load.clientsDeployment = Await.of(vertx.deployVerticle(load.clients), TIMEOUT_MS);
    if (load.server.eventLoop().equals(load.clients.eventLoop())) {
      System.out.println("note: handshake server and clients share " + load.server.eventLoop());
    }
    return load;
  }

  @Override
  public DeliveryCounter delivered() {
    return server.completed();
  }

  /** Handshakes may fail now and then under load; only a failure with none completing is fatal. */
  @Override
  public Throwable failure() {
    long failed = server.failed() + clients.failed();
    if (failed > 0 && server.completed().messages() == 0) {
      return new IllegalStateException(
          failed + " handshakes failed and none completed, first: " + clients.firstFailure(),
          clients.firstFailure());
    }
    return null;
  }

  /** Failed handshakes seen by either end so far (reported beside the rate). */
  long failures() {
    return server.failed() + clients.failed();
  }

  /** The first error a client saw, or null. */
  Throwable firstFailure() {
    return clients.firstFailure();
  }

  @Override
  public void stop() throws Exception {
    Await.of(clients.stopLoops(), TIMEOUT_MS);
    Await.of(vertx.undeploy(clientsDeployment), TIMEOUT_MS);
    Await.of(vertx.undeploy(serverDeployment), TIMEOUT_MS);
  }
}
