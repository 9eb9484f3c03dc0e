package network.canopy.p2p.admin;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.NodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP surface (vertx-web): health, Prometheus metrics, the JSON API and the dashboard.
 * It owns no node state; it asks the owners over the event bus and renders their answers.
 */
public final class AdminVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(AdminVerticle.class);
  private static final long ASK_TIMEOUT_MS = 3_000;

  private final NodeConfig config;
  private final Addresses addresses;
  private final MeterRegistry registry;
  private HttpServer server;
  private DashboardRoutes dashboard;

  public AdminVerticle(NodeConfig config, Addresses addresses, MeterRegistry registry) {
    this.config = config;
    this.addresses = addresses;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/metrics").handler(metricsHandler());
    router.get("/api/node").handler(this::node);
    new PeerRoutes(vertx, config, addresses).mount(router, new BearerAuth(config.admin().token()));
    dashboard = new DashboardRoutes(vertx, config, addresses);
    dashboard.mount(router);
    router
        .route()
        .last()
        .handler(
            ctx ->
                JsonReplies.error(
                    ctx,
                    404,
                    "no such endpoint: " + ctx.request().method() + " " + ctx.request().path()));
    router.route().failureHandler(JsonReplies::failure);

    var listen = config.admin().listen();
    server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost(listen.host()).setPort(listen.port()));
    return server
        .requestHandler(router)
        .listen()
        .recover(err -> Future.failedFuture("admin.listen " + listen + ": " + err.getMessage()))
        .onSuccess(
            s -> log.info("admin listening on http://{}:{}/", listen.host(), s.actualPort()));
  }

  /** The address the admin server actually bound (port 0 in config becomes a real port here). */
  public String boundAddress() {
    HostPort listen = config.admin().listen();
    return new HostPort(listen.host(), server == null ? listen.port() : server.actualPort())
        .toString();
  }

  private io.vertx.core.Handler<RoutingContext> metricsHandler() {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return PrometheusScrapingHandler.create(prometheus);
    }
    return ctx -> JsonReplies.error(ctx, 503, "metrics registry is not a Prometheus registry");
  }

  private void health(RoutingContext ctx) {
    askStatus()
        .onComplete(
            ar -> {
              boolean up = ar.succeeded() && "UP".equals(ar.result().getString("status"));
              JsonObject body =
                  new JsonObject()
                      .put("status", up ? "UP" : "DOWN")
                      .put(
                          "checks",
                          new JsonObject()
                              .put(
                                  "node",
                                  ar.succeeded() ? ar.result().getString("status") : "NO_ANSWER")
                              .put("admin", "UP"));
              JsonReplies.json(ctx, up ? 200 : 503, body);
            });
  }

  /** The node's status with its live peer counts (from the PeerSet). */
  private void node(RoutingContext ctx) {
    askStatus()
        .compose(
            status ->
                vertx
                    .eventBus()
                    .<JsonArray>request(
                        addresses.peers(),
                        null,
                        new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
                    .map(peers -> status.put("peers", counts(peers.body()))))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                JsonReplies.json(ctx, 200, ar.result());
              } else {
                JsonReplies.error(ctx, 503, "node status unavailable: " + ar.cause().getMessage());
              }
            });
  }

  private static JsonObject counts(JsonArray peers) {
    int outbound =
        (int)
            peers.stream()
                .filter(p -> "outbound".equals(((JsonObject) p).getString("direction")))
                .count();
    return new JsonObject().put("inbound", peers.size() - outbound).put("outbound", outbound);
  }

  private Future<JsonObject> askStatus() {
    return vertx
        .eventBus()
        .<JsonObject>request(
            addresses.nodeStatus(), null, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(msg -> msg.body());
  }

  @Override
  public Future<?> stop() {
    if (dashboard != null) {
      dashboard.close();
    }
    return server == null ? Future.succeededFuture() : server.close();
  }
}
