package network.canopy.p2p.bench;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;

/**
 * A baseline side: raw Vert.x {@code NetSocket}s with length-prefixed messages, in plain TCP or TLS
 * 1.3. The server and the client are separate verticles, hence on different event loops.
 */
final class FramedSide implements Side {

  private static final long TIMEOUT_MS = 30_000;

  private final String label;
  private final Vertx vertx;
  private final FramedServer server;
  private final NetClientOptions clientOptions;
  private FramedClient client;
  private String serverDeployment;
  private String clientDeployment;

  private FramedSide(
      String label, Vertx vertx, NetServerOptions serverOptions, NetClientOptions clientOptions) {
    this.label = label;
    this.vertx = vertx;
    this.server = new FramedServer(serverOptions);
    this.clientOptions = clientOptions;
  }

  static FramedSide tcp(Vertx vertx) throws Exception {
    return new FramedSide("tcp", vertx, new NetServerOptions(), new NetClientOptions()).open();
  }

  static FramedSide tls(Vertx vertx, SelfSignedTls tls) throws Exception {
    return new FramedSide("tls", vertx, tls.serverOptions(), tls.clientOptions()).open();
  }

  private FramedSide open() throws Exception {
    serverDeployment = Await.of(vertx.deployVerticle(server), TIMEOUT_MS);
    client = new FramedClient(clientOptions, server.port());
    clientDeployment = Await.of(vertx.deployVerticle(client), TIMEOUT_MS);
    if (server.eventLoop().equals(client.eventLoop())) {
      System.out.println("note: " + label + " server and client share " + server.eventLoop());
    }
    return this;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public Flow startFlow(String topic, int size) throws Exception {
    server.echo(false);
    long deliveredBefore = server.delivered().messages();
    long streamedBefore = client.streamed();
    Await.of(client.startStream(Payloads.random(size)), TIMEOUT_MS);
    return new Flow() {
      @Override
      public DeliveryCounter delivered() {
        return server.delivered();
      }

      @Override
      public Throwable failure() {
        return client.streamFailure();
      }

      @Override
      public void stop() throws Exception {
        Await.of(client.stopStream(), TIMEOUT_MS);
        long target = deliveredBefore + client.streamed() - streamedBefore;
        server.delivered().awaitMessages(target, TIMEOUT_MS);
      }
    };
  }

  @Override
  public long[] pingPong(String topic, int size, int count) throws Exception {
    server.echo(true);
    try {
      return Await.of(client.pingPong(Payloads.random(size), count), TIMEOUT_MS + count);
    } finally {
      server.echo(false);
    }
  }

  @Override
  public void close() throws Exception {
    if (clientDeployment != null) {
      Await.of(vertx.undeploy(clientDeployment), TIMEOUT_MS);
    }
    if (serverDeployment != null) {
      Await.of(vertx.undeploy(serverDeployment), TIMEOUT_MS);
    }
  }
}
