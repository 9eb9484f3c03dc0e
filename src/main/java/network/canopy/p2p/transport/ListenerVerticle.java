package network.canopy.p2p.transport;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.shareddata.LocalMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.wire.HandshakeCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts inbound connections on {@code p2p.listen} with several {@link AcceptorVerticle}s sharing
 * one port over event loops and one {@link InboundFilter}; each authenticated connection goes to
 * the node (the PeerSet decides admission).
 */
public final class ListenerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(ListenerVerticle.class);

  /** Names the per-Vert.x counter that keeps the shared random ports of different nodes apart. */
  private static final String SHARED_PORT_IDS = "canopy.p2p.listener.shared-port-ids";

  /** Names the per-Vert.x map of fixed listen addresses to the listener that holds each. */
  private static final String CLAIMED_ADDRESSES = "canopy.p2p.listener.claimed-addresses";

  private final P2pConfig p2p;
  private final int maxPendingHandshakes;
  private final int instances;
  private final Supplier<HandshakeCredentials> credentials;
  private final Consumer<EncryptedConn> authenticated;
  private final HandshakeMetrics metrics;
  private final List<AcceptorVerticle> acceptors = new CopyOnWriteArrayList<>();
  private final RefusalSummary refusals = new RefusalSummary();
  private volatile InboundFilter filter;
  private long summaryTimer = -1;
  private NetworkGroups groups = NetworkGroups.DEFAULT;
  private String claimed;
  private MemoryBudget budget = MemoryBudget.unlimited();

  /** As below, with {@link #defaultInstances()} accepting instances. */
  public ListenerVerticle(
      P2pConfig p2p,
      int maxPendingHandshakes,
      Supplier<HandshakeCredentials> credentials,
      Consumer<EncryptedConn> authenticated,
      HandshakeMetrics metrics) {
    this(p2p, maxPendingHandshakes, defaultInstances(), credentials, authenticated, metrics);
  }

  /**
   * @param credentials read per connection: they carry the advertised address, known only once this
   *     listener has bound; connections arriving before that are closed
   */
  public ListenerVerticle(
      P2pConfig p2p,
      int maxPendingHandshakes,
      int instances,
      Supplier<HandshakeCredentials> credentials,
      Consumer<EncryptedConn> authenticated,
      HandshakeMetrics metrics) {
    if (instances < 1) {
      throw new IllegalArgumentException("instances must be >= 1, got " + instances);
    }
    this.p2p = p2p;
    this.maxPendingHandshakes = maxPendingHandshakes;
    this.instances = instances;
    this.credentials = credentials;
    this.authenticated = authenticated;
    this.metrics = metrics;
  }

  /**
   * Applies the per-subnet limit and the per-group handshake cap to loopback addresses too, as to
   * public ones (127.1.0.0/16 and 127.2.0.0/16 become two groups), so one machine can play many
   * networks. Off by default: on a node, every local process shares 127.0.0.0/8. Before deployment.
   */
  public ListenerVerticle groupingLoopback() {
    this.groups = new NetworkGroups(true);
    return this;
  }

  /** Handshake buffers draw from the node's memory budget (pool HANDSHAKE). Before deployment. */
  public ListenerVerticle withBudget(MemoryBudget budget) {
    this.budget = budget;
    return this;
  }

  /**
   * Two accepting event loops where there are two cores: accept and handshakes scale, rarely more.
   */
  public static int defaultInstances() {
    return Math.min(2, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public Future<?> start() {
    // Parsing is cheap, but reading a GeoIP database (megabytes) must stay off the event loop.
    return vertx
        .executeBlocking(() -> InboundFilter.fromConfig(p2p, maxPendingHandshakes, groups))
        .compose(
            built -> {
              filter = built;
              built
                  .countries()
                  .ifPresent(c -> log.info("GeoIP country filter uses {}", c.source()));
              return bindAddress();
            })
        .compose(
            bind ->
                deployAcceptors(bind)
                    .recover(
                        err ->
                            Future.failedFuture(
                                "p2p.listen " + p2p.listen() + ": " + err.getMessage())))
        .onSuccess(
            v -> {
              log.info("p2p listening on {} ({} accepting instances)", boundAddress(), instances);
              summaryTimer = vertx.setPeriodic(RefusalSummary.PERIOD_MS, id -> logRefusals());
            })
        .onFailure(err -> release());
  }

  /**
   * A configured port is shared by plain server sharing. Port 0 is not: each instance would bind a
   * port of its own. Vert.x's shared random port (a negative port) binds one free port for all
   * servers given the same id, so each listener takes an id no other listener of this Vert.x has.
   */
  private Future<SocketAddress> bindAddress() {
    if (p2p.listen().port() != 0) {
      return claim()
          .map(v -> SocketAddress.inetSocketAddress(p2p.listen().port(), p2p.listen().host()));
    }
    return vertx
        .sharedData()
        .getLocalCounter(SHARED_PORT_IDS)
        .compose(counter -> counter.incrementAndGet())
        .map(id -> SocketAddress.sharedRandomPort(Math.toIntExact(id), p2p.listen().host()));
  }

  /**
   * Server sharing would also join another node of this Vert.x that listens on the same address,
   * and split its connections between the two nodes: refuse that as the OS would.
   */
  private Future<Void> claim() {
    String address = p2p.listen().toString();
    LocalMap<String, String> claims = vertx.sharedData().getLocalMap(CLAIMED_ADDRESSES);
    String holder = claims.putIfAbsent(address, deploymentID());
    if (holder != null) {
      return Future.failedFuture(
          "p2p.listen " + address + ": Address already in use (by another node in this process)");
    }
    claimed = address;
    return Future.succeededFuture();
  }

  private Future<String> deployAcceptors(SocketAddress bind) {
    AcceptorVerticle.Shared shared =
        new AcceptorVerticle.Shared(
            bind,
            filter,
            p2p.handshakeTimeoutMs(),
            credentials,
            authenticated,
            metrics,
            refusals,
            SocketTuning.of(p2p),
            budget);
    return vertx.deployVerticle(
        () -> {
          AcceptorVerticle acceptor = new AcceptorVerticle(shared);
          acceptors.add(acceptor);
          return acceptor;
        },
        new DeploymentOptions().setInstances(instances));
  }

  /** The address actually bound (port 0 in config becomes the one port all instances share). */
  public HostPort boundAddress() {
    int port = acceptors.isEmpty() ? -1 : acceptors.get(0).actualPort();
    return new HostPort(p2p.listen().host(), port < 0 ? p2p.listen().port() : port);
  }

  /** The shared admission filter (and its counters); null before start. */
  public InboundFilter filter() {
    return filter;
  }

  /**
   * One line per period while inbound connections are refused: an attack shows, a flood does not
   * flood the log.
   */
  private void logRefusals() {
    RefusalSummary.Period period = refusals.drain();
    if (period != null) {
      log.warn(
          "refused {} inbound connections in the last {} s: {}",
          period.total(),
          RefusalSummary.PERIOD_MS / 1000,
          period.byReason());
    }
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(summaryTimer);
    logRefusals();
    // The acceptors, child deployments, are undeployed by Vert.x before this runs.
    release();
    return Future.succeededFuture();
  }

  private void release() {
    InboundFilter f = filter;
    if (f != null) {
      f.close();
    }
    if (claimed != null) {
      vertx.sharedData().getLocalMap(CLAIMED_ADDRESSES).remove(claimed, deploymentID());
      claimed = null;
    }
  }
}
