package network.canopy.p2p.admin;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;

/**
 * The live dashboard: {@code GET /} (a static page served from the jar's {@code webroot/}, no
 * external resources) and its Server-Sent Events feed {@code GET /api/stream}. The page reads the
 * JSON API and writes only through {@code POST /api/broadcast}, under the same bearer-token rule.
 */
final class DashboardRoutes {

  /** Everything from this origin, nothing inline, never framed. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

  private final EventStream stream;

  DashboardRoutes(Vertx vertx, NodeConfig config, Addresses addresses) {
    this.stream = new EventStream(vertx, config, addresses);
  }

  void mount(Router router) {
    Handler<RoutingContext> hardening =
        ctx -> {
          ctx.response()
              .putHeader("content-security-policy", CSP)
              .putHeader("x-content-type-options", "nosniff")
              .putHeader("referrer-policy", "no-referrer")
              .putHeader("x-frame-options", "DENY");
          ctx.next();
        };
    router.get("/").handler(hardening).handler(ctx -> ctx.reroute("/ui/index.html"));
    router
        .get("/ui/*")
        .handler(hardening)
        .handler(StaticHandler.create("webroot").setDirectoryListing(false).setMaxAgeSeconds(60));
    router.get("/api/stream").handler(stream::handle);
  }

  /** Ends open event streams, so stopping the admin server does not wait on them. */
  void close() {
    stream.closeAll();
  }
}
