package network.canopy.p2p.admin;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import network.canopy.p2p.config.Addresses;

/**
 * The admin routes that judge peers — {@code POST /api/ban}, {@code POST /api/unban}, {@code GET
 * /api/bans} (operator bans by id or IP/CIDR, persisted by the node) and {@code POST /api/report}
 * (an application's verdict feeding reputation) — each a thin translation of query parameters to
 * the node's event-bus API. Writes are behind the bearer check of {@link PeerRoutes}.
 */
final class JudgementRoutes {

  private static final long ASK_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Addresses addresses;

  JudgementRoutes(Vertx vertx, Addresses addresses) {
    this.vertx = vertx;
    this.addresses = addresses;
  }

  /** Mount after the bearer check of {@code POST /api/*}. */
  void mount(Router router) {
    router
        .get("/api/bans")
        .handler(ctx -> ask(ctx, addresses.bans(), new JsonObject().put("action", "list")));
    router.post("/api/ban").handler(ctx -> ban(ctx, "ban"));
    router.post("/api/unban").handler(ctx -> ban(ctx, "unban"));
    router.post("/api/report").handler(this::report);
  }

  private void ban(RoutingContext ctx, String action) {
    JsonObject body = new JsonObject().put("action", action);
    copy(ctx, body, "peer");
    copy(ctx, body, "ip");
    copy(ctx, body, "reason");
    String duration = ctx.queryParams().get("durationMs");
    if (duration != null && action.equals("ban")) {
      try {
        body.put("durationMs", Long.parseLong(duration));
      } catch (NumberFormatException e) {
        JsonReplies.error(ctx, 400, "durationMs must be a whole number of milliseconds");
        return;
      }
    }
    ask(ctx, addresses.bans(), body);
  }

  private void report(RoutingContext ctx) {
    JsonObject body = new JsonObject();
    copy(ctx, body, "peer");
    copy(ctx, body, "kind");
    copy(ctx, body, "reason");
    String points = ctx.queryParams().get("points");
    if (points != null) {
      try {
        body.put("points", Double.parseDouble(points));
      } catch (NumberFormatException e) {
        JsonReplies.error(ctx, 400, "points must be a number");
        return;
      }
    }
    ask(ctx, addresses.report(), body);
  }

  private static void copy(RoutingContext ctx, JsonObject body, String name) {
    String value = ctx.queryParams().get(name);
    if (value != null) {
      body.put(name, value);
    }
  }

  private void ask(RoutingContext ctx, String address, JsonObject body) {
    vertx
        .eventBus()
        .request(address, body, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .onSuccess(
            reply ->
                JsonReplies.json(ctx, 200, reply.body() instanceof JsonArray a ? a : reply.body()))
        .onFailure(err -> PeerRoutes.fail(ctx, err));
  }
}
