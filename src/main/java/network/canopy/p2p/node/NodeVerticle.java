package network.canopy.p2p.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicReference;
import network.canopy.p2p.admin.AdminVerticle;
import network.canopy.p2p.book.PeerBookVerticle;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.NodeKeyFile;
import network.canopy.p2p.peer.PeerSetVerticle;
import network.canopy.p2p.transport.DialerVerticle;
import network.canopy.p2p.transport.HandshakeMetrics;
import network.canopy.p2p.transport.ListenerVerticle;
import network.canopy.p2p.transport.SocketTuning;
import network.canopy.p2p.wire.HandshakeCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Root of one node's deployment tree: loads the identity, deploys the node's verticles in
 * dependency order and undeploys them in reverse. Several can share one Vert.x instance (distinct
 * prefixes).
 */
public final class NodeVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(NodeVerticle.class);

  /** Inbound handshakes in progress at once; more connections are closed before any crypto. */
  static final int MAX_PENDING_HANDSHAKES = 256;

  private final NodeConfig config;
  private final MeterRegistry registry;
  private final Deque<String> children = new ArrayDeque<>();
  private final NodeStatus status;
  private final AtomicReference<HandshakeCredentials> credentials = new AtomicReference<>();
  private PeerSetVerticle peerSet;
  private MessageConsumer<Void> statusConsumer;
  private Gauge infoGauge;

  public NodeVerticle(NodeConfig config, MeterRegistry registry) {
    this.config = config;
    this.registry = registry;
    this.status = new NodeStatus(config);
  }

  @Override
  public Future<?> start() {
    Addresses addresses = new Addresses(config.eventBusPrefix());
    return vertx
        .executeBlocking(() -> NodeKeyFile.loadOrCreate(config.dataDir()))
        .compose(
            identity -> {
              status.identity(identity);
              statusConsumer =
                  vertx
                      .eventBus()
                      .localConsumer(addresses.nodeStatus(), msg -> msg.reply(status.toJson()));
              registerInfoGauge(identity);
              log.info(
                  "node {} starting: network={} dataDir={}",
                  identity.shortId(),
                  config.network(),
                  config.dataDir());
              return deployChildren(identity, addresses);
            })
        .onSuccess(
            v -> {
              status.markUp();
              log.info(
                  "node {} up: admin=http://{}/ version={}",
                  status.identity().shortId(),
                  status.adminAddress(),
                  BuildInfo.version());
            });
  }

  /**
   * Deploys, in order: the peer book (undeployed last, so it saves what the goodbyes changed), the
   * PeerSet (it admits connections), the listener (its bound address goes into the handshake
   * credentials), the dialer, the admin server; then starts dialling.
   */
  private Future<Void> deployChildren(NodeIdentity identity, Addresses addresses) {
    HandshakeMetrics handshakes = new HandshakeMetrics(registry, identity.shortId());
    AtomicReference<HostPort> advertised = new AtomicReference<>();
    PeerBookVerticle book =
        new PeerBookVerticle(
            config,
            identity,
            registry,
            address -> {
              if (!address.equals(advertised.getAndSet(address))) {
                // An adopted external address: new handshakes and /api/node say it from now on.
                status.external(address.toString(), "observed");
                credentials.set(
                    HandshakeCredentials.create(
                        identity, LocalMetadata.of(config, address), new SecureRandom()));
              }
            });
    peerSet = new PeerSetVerticle(config, identity.id(), registry, book);
    long timeout = config.p2p().handshakeTimeoutMs();
    ListenerVerticle listener =
        new ListenerVerticle(
                config.p2p(), MAX_PENDING_HANDSHAKES, credentials::get, peerSet::admit, handshakes)
            .withBudget(peerSet.budget());
    DialerVerticle dialer =
        new DialerVerticle(
                addresses.dial(),
                timeout,
                SocketTuning.of(config.p2p()),
                credentials::get,
                peerSet::admit,
                handshakes,
                listener::filter)
            .withBudget(peerSet.budget());
    AdminVerticle admin = new AdminVerticle(config, addresses, registry);
    return deploy(book)
        .compose(v -> deploy(peerSet))
        .compose(v -> deploy(listener))
        .onSuccess(
            v -> {
              HostPort bound = listener.boundAddress();
              status.listenAddress(bound.toString());
              HostPort own = config.p2p().external().orElse(bound);
              advertised.set(own);
              config.p2p().external().ifPresent(e -> status.external(e.toString(), "config"));
              credentials.set(
                  HandshakeCredentials.create(
                      identity, LocalMetadata.of(config, own), new SecureRandom()));
              book.listening(own, bound.port());
            })
        .compose(v -> deploy(dialer))
        .compose(v -> deploy(admin))
        .onSuccess(
            v -> {
              status.adminAddress(admin.boundAddress());
              peerSet.startDialing();
            });
  }

  /** The node id (hex public key); null until the identity is loaded during start. */
  public String nodeId() {
    NodeIdentity identity = status.identity();
    return identity == null ? null : identity.id();
  }

  /** The P2P address actually bound (HOST:PORT), once started. */
  public String listenAddress() {
    return status.toJson().getString("listen");
  }

  /** The admin HTTP address actually bound (HOST:PORT), once started. */
  public String adminAddress() {
    return status.adminAddress();
  }

  /** Deploys a child and remembers it so {@link #stop()} can undeploy in reverse order. */
  private Future<Void> deploy(Deployable verticle) {
    return vertx
        .deployVerticle(verticle, new DeploymentOptions())
        .map(
            id -> {
              children.push(id);
              return null;
            });
  }

  /**
   * Stops the node in order: every peer gets a goodbye and its connection closes, then the node's
   * verticles are undeployed in reverse order of deployment. Call it before undeploying the node
   * itself: Vert.x undeploys child deployments all at once, in no particular order (and closing the
   * listener or dialer first would cut their connections without a goodbye). Any thread; twice is
   * harmless.
   */
  public Future<Void> shutdown() {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          status.markDown();
          Future<Void> goodbyes =
              peerSet == null ? Future.succeededFuture() : peerSet.closeAll("node shutting down");
          goodbyes.compose(w -> undeployNext()).onComplete(done);
        });
    return done.future();
  }

  @Override
  public Future<?> stop() {
    status.markDown();
    if (statusConsumer != null) {
      statusConsumer.unregister();
    }
    if (infoGauge != null) {
      registry.remove(infoGauge);
    }
    // Children still deployed here are undeployed by Vert.x itself (we were not shut down first).
    children.clear();
    if (status.identity() != null) {
      log.info("node {} stopped", status.identity().shortId());
    }
    return Future.succeededFuture();
  }

  private Future<Void> undeployNext() {
    String id = children.poll();
    if (id == null) {
      return Future.succeededFuture();
    }
    return vertx
        .undeploy(id)
        .recover(
            err -> {
              log.warn("undeploy of {} failed: {}", id, err.toString());
              return Future.succeededFuture();
            })
        .compose(v -> undeployNext());
  }

  private void registerInfoGauge(NodeIdentity identity) {
    infoGauge =
        Gauge.builder("p2p.node", () -> 1)
            .description("Constant 1, tagged with the node's identity, network and version")
            .tag("node", identity.shortId())
            .tag("network", config.network())
            .tag("version", BuildInfo.version())
            .register(registry);
  }
}
