package network.canopy.p2p.admin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.TopicConfig;

/**
 * The dashboard's live feed, {@code GET /api/stream} (Server-Sent Events, outbound only): a {@code
 * hello} on connect, every peer event of {@code <prefix>.events} as it happens, and each second a
 * {@code snapshot} (peers, topic counters) plus the newly received {@code messages}. All state
 * lives on the admin verticle's event loop; a client that reads too slowly loses frames instead of
 * growing the node's memory.
 */
public final class EventStream {

  /** Open streams at once; more are refused with 503. */
  public static final int MAX_CLIENTS = 16;

  static final long TICK_MS = 1_000;
  private static final long ASK_TIMEOUT_MS = 2_000;

  /** Recent messages asked per topic and tick; older unseen ones are skipped, never buffered. */
  private static final int RECENT_PER_TICK = 50;

  private final Vertx vertx;
  private final NodeConfig config;
  private final Addresses addresses;
  private final Set<HttpServerResponse> clients = new LinkedHashSet<>();
  private final RecentFeed recent = new RecentFeed();
  private MessageConsumer<Object> events;
  private long timer = -1;

  EventStream(Vertx vertx, NodeConfig config, Addresses addresses) {
    this.vertx = vertx;
    this.config = config;
    this.addresses = addresses;
  }

  void handle(RoutingContext ctx) {
    if (clients.size() >= MAX_CLIENTS) {
      JsonReplies.error(ctx, 503, "too many open dashboard streams (" + MAX_CLIENTS + ")");
      return;
    }
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .putHeader("x-content-type-options", "nosniff");
    response.write("retry: 2000\n\n");
    clients.add(response);
    response.closeHandler(v -> remove(response));
    response.exceptionHandler(err -> remove(response));
    hello(response);
    if (timer < 0) {
      events =
          vertx
              .eventBus()
              .localConsumer(addresses.events(), msg -> broadcast("peer-event", msg.body()));
      timer = vertx.setPeriodic(TICK_MS, id -> tick());
    }
  }

  /** Ends every stream (the admin server is stopping). */
  void closeAll() {
    List.copyOf(clients)
        .forEach(
            r -> {
              remove(r);
              r.end();
            });
  }

  private void remove(HttpServerResponse response) {
    if (clients.remove(response) && clients.isEmpty() && timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
      events.unregister();
      events = null;
    }
  }

  private void hello(HttpServerResponse response) {
    JsonArray topics = new JsonArray();
    config
        .topics()
        .forEach(t -> topics.add(new JsonObject().put("name", t.name()).put("gossip", t.gossip())));
    ask(addresses.nodeStatus(), null)
        .onComplete(
            ar -> {
              JsonObject hello =
                  new JsonObject()
                      .put("node", ar.succeeded() ? ar.result() : new JsonObject())
                      .put("topics", topics)
                      .put("tokenRequired", !config.admin().token().isEmpty())
                      .put("tickMs", TICK_MS)
                      .put("messages", recent.backlog());
              send(response, "hello", hello);
            });
  }

  /** One snapshot for every client: peers and topic counters, then the messages not shown yet. */
  private void tick() {
    Future<Object> peers = ask(addresses.peers(), null);
    Future<Object> topics = ask(addresses.topics(), null);
    Future<Object> memory = ask(addresses.memory(), null);
    List<Future<Object>> recents = new ArrayList<>();
    for (TopicConfig t : config.topics()) {
      recents.add(
          ask(
              addresses.recent(),
              new JsonObject().put("topic", t.name()).put("limit", RECENT_PER_TICK)));
    }
    Future.join(peers, topics, memory)
        .onComplete(
            ar -> {
              if (peers.succeeded() && topics.succeeded()) {
                broadcast(
                    "snapshot",
                    new JsonObject()
                        .put("at", System.currentTimeMillis())
                        .put("peers", peers.result())
                        .put("topics", topics.result())
                        .put("memory", memory.succeeded() ? memory.result() : null));
              }
            });
    Future.join(recents)
        .onComplete(
            ar -> {
              JsonArray fresh = new JsonArray();
              for (int i = 0; i < recents.size(); i++) {
                if (recents.get(i).succeeded()
                    && recents.get(i).result() instanceof JsonArray entries) {
                  recent.fresh(config.topics().get(i).name(), entries).forEach(fresh::add);
                }
              }
              if (!fresh.isEmpty()) {
                broadcast("messages", fresh);
              }
            });
  }

  private Future<Object> ask(String address, Object body) {
    return vertx
        .eventBus()
        .request(address, body, new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS))
        .map(msg -> msg.body());
  }

  private void broadcast(String event, Object data) {
    String frame = frame(event, data);
    List.copyOf(clients).forEach(r -> write(r, frame));
  }

  private void send(HttpServerResponse response, String event, Object data) {
    if (clients.contains(response)) {
      write(response, frame(event, data));
    }
  }

  /** A client whose socket backs up misses frames; the next snapshot brings it up to date. */
  private static void write(HttpServerResponse response, String frame) {
    if (!response.writeQueueFull()) {
      response.write(frame);
    }
  }

  /** JSON encodes newlines as escapes, so one {@code data:} line always holds the whole value. */
  private static String frame(String event, Object data) {
    String json =
        data instanceof JsonObject o
            ? o.encode()
            : data instanceof JsonArray a ? a.encode() : String.valueOf(data);
    return "event: " + event + "\ndata: " + json + "\n\n";
  }
}
