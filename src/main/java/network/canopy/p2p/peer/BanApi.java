package network.canopy.p2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.reputation.BanList;
import network.canopy.p2p.reputation.IpRange;
import network.canopy.p2p.reputation.OperatorBans;

/**
 * Operator bans on {@code <prefix>.internal.bans} (behind {@code /api/ban}, {@code /api/unban},
 * {@code /api/bans}): JSON {@code {"action": "ban"|"unban"|"list", "peer" or "ip", "durationMs",
 * "reason"}}. Runs on the PeerSet's context; a ban disconnects the peers it covers at once and is
 * saved before the reply.
 */
final class BanApi {

  private final Vertx vertx;
  private final Addresses addresses;
  private final String selfId;
  private final BanKeeper keeper;
  private final Runnable enforce;
  private final PeerEvents events;
  private MessageConsumer<JsonObject> consumer;

  /**
   * @param enforce disconnects every connected peer a ban now covers
   */
  BanApi(
      Vertx vertx,
      Addresses addresses,
      String selfId,
      BanKeeper keeper,
      Runnable enforce,
      PeerEvents events) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.selfId = selfId;
    this.keeper = keeper;
    this.enforce = enforce;
    this.events = events;
  }

  Future<Void> register() {
    consumer = vertx.eventBus().localConsumer(addresses.bans(), this::handle);
    return consumer.completion();
  }

  Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  private void handle(Message<JsonObject> msg) {
    JsonObject body = msg.body() == null ? new JsonObject() : msg.body();
    try {
      switch (body.getString("action", "")) {
        case "list" -> msg.reply(keeper.list());
        case "ban" -> ban(msg, body);
        case "unban" -> unban(msg, body);
        default -> msg.fail(PeerApi.BAD_REQUEST, "action must be ban, unban or list");
      }
    } catch (IllegalArgumentException | ClassCastException e) {
      msg.fail(PeerApi.BAD_REQUEST, e.getMessage());
    }
  }

  private void ban(Message<JsonObject> msg, JsonObject body) {
    String peer = body.getString("peer");
    IpRange ip = body.getString("ip") == null ? null : IpRange.parse(body.getString("ip"));
    if ((peer == null) == (ip == null)) {
      throw new IllegalArgumentException("give either peer or ip");
    }
    if (peer != null && !peer.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("peer must be a node id (64 lowercase hex characters)");
    }
    if (selfId.equals(peer)) {
      throw new IllegalArgumentException("a node cannot ban itself");
    }
    Long duration = body.getLong("durationMs");
    if (duration != null && duration < 1) {
      throw new IllegalArgumentException(
          "durationMs must be at least 1 (leave it out for a ban without end)");
    }
    long now = System.currentTimeMillis();
    long until =
        duration == null || duration >= BanList.FOREVER - now ? BanList.FOREVER : now + duration;
    String reason = body.getString("reason", "operator");
    OperatorBans.Ban ban = new OperatorBans.Ban(peer, ip, until, reason);
    if (!keeper.operator().add(ban)) {
      msg.fail(
          PeerApi.QUEUE_FULL,
          "already " + OperatorBans.MAX_BANS + " operator bans; lift some first");
      return;
    }
    enforce.run();
    events.operatorBan(ban.target(), ip != null, reason, until);
    JsonObject reply =
        (peer != null ? new JsonObject().put("peer", peer) : new JsonObject().put("ip", ip.text()))
            .put("until", until)
            .put("source", BanKeeper.OPERATOR)
            .put("reason", reason);
    keeper.changed().onComplete(ar -> msg.reply(reply));
  }

  private void unban(Message<JsonObject> msg, JsonObject body) {
    String peer = body.getString("peer");
    String ip = body.getString("ip");
    if ((peer == null) == (ip == null)) {
      throw new IllegalArgumentException("give either peer or ip");
    }
    boolean lifted =
        peer != null
            ? keeper.operator().removePeer(peer) | keeper.liftReputationBan(peer)
            : keeper.operator().removeIp(IpRange.parse(ip));
    if (!lifted) {
      msg.fail(PeerApi.NOT_CONNECTED, "no ban of " + (peer != null ? peer : ip));
      return;
    }
    String target = peer != null ? peer : IpRange.parse(ip).text();
    events.unbanned(target, peer == null);
    keeper.changed().onComplete(ar -> msg.reply(new JsonObject().put("unbanned", target)));
  }
}
