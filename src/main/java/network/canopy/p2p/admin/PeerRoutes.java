package network.canopy.p2p.admin;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.PeerAddress;

/**
 * The admin routes about peers and messages — {@code /api/peers}, {@code /api/book}, {@code
 * /api/topics}, {@code /api/recent}, {@code POST /api/send}, {@code POST /api/broadcast}, {@code
 * POST /api/dial}, {@code POST /api/disconnect} (and, through {@link JudgementRoutes}, bans and
 * reports) — each a thin translation to the node's event-bus API, so HTTP and event-bus users see
 * the same behaviour.
 */
final class PeerRoutes {

  private static final long ASK_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final NodeConfig config;
  private final Addresses addresses;

  PeerRoutes(Vertx vertx, NodeConfig config, Addresses addresses) {
    this.vertx = vertx;
    this.config = config;
    this.addresses = addresses;
  }

  void mount(Router router, BearerAuth auth) {
    router.get("/api/peers").handler(ctx -> ask(ctx, addresses.peers(), null));
    router.get("/api/topics").handler(ctx -> ask(ctx, addresses.topics(), null));
    router.get("/api/book").handler(ctx -> ask(ctx, addresses.book(), null));
    router.get("/api/recent").handler(this::recent);
    // Authorization is checked in a route of its own, before any body is read.
    router.post("/api/*").handler(auth);
    RawBody body = new RawBody(config.p2p().maxMessageSize());
    router.post("/api/send").handler(body).handler(this::send);
    router.post("/api/broadcast").handler(body).handler(this::broadcast);
    router.post("/api/dial").handler(this::dial);
    router.post("/api/disconnect").handler(this::disconnect);
    new JudgementRoutes(vertx, addresses).mount(router);
  }

  private void recent(RoutingContext ctx) {
    String topic = ctx.queryParams().get("topic");
    if (topic == null) {
      JsonReplies.error(ctx, 400, "query parameter 'topic' is required");
      return;
    }
    int limit;
    try {
      limit =
          Integer.parseInt(
              ctx.queryParams().get("limit") == null ? "100" : ctx.queryParams().get("limit"));
    } catch (NumberFormatException e) {
      JsonReplies.error(ctx, 400, "limit must be a number");
      return;
    }
    if (limit < 1) {
      JsonReplies.error(ctx, 400, "limit must be at least 1");
      return;
    }
    ask(ctx, addresses.recent(), new JsonObject().put("topic", topic).put("limit", limit));
  }

  private void send(RoutingContext ctx) {
    String peer = ctx.queryParams().get("peer");
    String topic = ctx.queryParams().get("topic");
    if (peer == null || topic == null) {
      JsonReplies.error(ctx, 400, "query parameters 'peer' and 'topic' are required");
      return;
    }
    Buffer payload = RawBody.of(ctx);
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(ASK_TIMEOUT_MS)
            // A full queue may hold the request for room, but the answer must beat the timeout.
            .addHeader(
                Addresses.HEADER_WAIT_MS,
                Long.toString(Math.min(config.p2p().sendWaitMs(), ASK_TIMEOUT_MS - 1_000)))
            .addHeader(Addresses.HEADER_PEER, peer)
            .addHeader(Addresses.HEADER_TOPIC, topic);
    vertx
        .eventBus()
        .request(addresses.send(), payload, options)
        .onSuccess(
            reply -> {
              JsonObject body =
                  new JsonObject()
                      .put("queued", true)
                      .put("peer", peer)
                      .put("topic", topic)
                      .put("size", payload.length());
              if (reply.body() instanceof JsonObject sentTo) {
                body.put("peers", sentTo.getJsonArray("peers")); // '*' and 'random': who got it
              }
              JsonReplies.json(ctx, 200, body);
            })
        .onFailure(err -> fail(ctx, err));
  }

  /** Gossips the body on a gossip topic; 200 {@code {"id": "<message id hex>"}}. */
  private void broadcast(RoutingContext ctx) {
    String topic = ctx.queryParams().get("topic");
    if (topic == null) {
      JsonReplies.error(ctx, 400, "query parameter 'topic' is required");
      return;
    }
    Buffer payload = RawBody.of(ctx);
    DeliveryOptions options =
        new DeliveryOptions()
            .setSendTimeout(ASK_TIMEOUT_MS)
            .addHeader(Addresses.HEADER_TOPIC, topic);
    vertx
        .eventBus()
        .<String>request(addresses.broadcast(), payload, options)
        .onSuccess(reply -> JsonReplies.json(ctx, 200, new JsonObject().put("id", reply.body())))
        .onFailure(err -> fail(ctx, err));
  }

  private void dial(RoutingContext ctx) {
    String address = ctx.queryParams().get("address");
    try {
      PeerAddress.parse(address == null ? "" : address);
    } catch (IllegalArgumentException e) {
      JsonReplies.error(ctx, 400, "address must be ID@HOST:PORT: " + e.getMessage());
      return;
    }
    vertx
        .eventBus()
        .request(addresses.dial(), address, new DeliveryOptions().setSendTimeout(60_000));
    JsonReplies.json(ctx, 202, new JsonObject().put("dialing", address));
  }

  private void disconnect(RoutingContext ctx) {
    String peer = ctx.queryParams().get("peer");
    if (peer == null) {
      JsonReplies.error(ctx, 400, "query parameter 'peer' is required");
      return;
    }
    vertx
        .eventBus()
        .request(addresses.disconnect(), peer, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .onSuccess(reply -> JsonReplies.json(ctx, 200, new JsonObject().put("disconnected", peer)))
        .onFailure(err -> fail(ctx, err));
  }

  private void ask(RoutingContext ctx, String address, Object body) {
    vertx
        .eventBus()
        .request(address, body, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .onSuccess(
            reply ->
                JsonReplies.json(ctx, 200, reply.body() instanceof JsonArray a ? a : reply.body()))
        .onFailure(err -> fail(ctx, err));
  }

  /** Event-bus failure codes are HTTP statuses already (see PeerApi); timeouts become 503. */
  static void fail(RoutingContext ctx, Throwable err) {
    int status =
        err instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 600
            ? re.failureCode()
            : 503;
    JsonReplies.error(ctx, status, err.getMessage());
  }
}
