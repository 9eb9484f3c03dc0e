package network.canopy.p2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.reputation.ReputationEvent;

/**
 * {@code <prefix>.report}: an application's verdict on a peer's messages — JSON {@code
 * {"peer","kind","points","reason"}}, kind {@code invalid}, {@code useless} or {@code good} — moves
 * the peer's reputation, which bans it at the threshold. Runs on the PeerSet's context. Replies
 * {@code {"peer","score","banned"}}; 404 for a peer this node neither has nor had lately.
 */
final class ReportApi {

  /**
   * Most recently disconnected ids remembered, so a report that arrives just after a hang-up
   * counts.
   */
  static final int RECENT_PEERS = 1_024;

  /** Most points one report may move. */
  static final double MAX_POINTS = 100;

  /** What the PeerSet does with a report: record it, ban and disconnect at the threshold. */
  interface Judge {
    Reputation.Outcome judge(String peerId, ReputationEvent event, double points, String why);
  }

  private final Vertx vertx;
  private final Addresses addresses;
  private final Map<String, ConnectedPeer> peers;
  private final Reputation reputation;
  private final Judge judge;
  private final PeerEvents events;
  private final Map<String, Boolean> recent =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > RECENT_PEERS;
        }
      };
  private MessageConsumer<Object> consumer;

  ReportApi(
      Vertx vertx,
      Addresses addresses,
      Map<String, ConnectedPeer> peers,
      Reputation reputation,
      Judge judge,
      PeerEvents events) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.peers = peers;
    this.reputation = reputation;
    this.judge = judge;
    this.events = events;
  }

  Future<Void> register() {
    consumer = vertx.eventBus().consumer(addresses.report(), this::report);
    return consumer.completion();
  }

  Future<Void> unregister() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** A peer left: reports about it still count for a while. */
  void disconnected(String peerId) {
    recent.put(peerId, Boolean.TRUE);
  }

  private void report(Message<Object> msg) {
    if (!(msg.body() instanceof JsonObject body)) {
      msg.fail(PeerApi.BAD_REQUEST, "body must be a JSON object {peer, kind, points, reason}");
      return;
    }
    try {
      String peer = body.getString("peer");
      ReputationEvent event = event(body.getString("kind"));
      Number given = body.getNumber("points");
      double points = given == null ? Math.abs(event.points()) : given.doubleValue();
      if (!(points > 0 && points <= MAX_POINTS)) {
        msg.fail(PeerApi.BAD_REQUEST, "points must be more than 0 and at most " + (int) MAX_POINTS);
        return;
      }
      if (peer == null
          || !(peers.containsKey(peer) || recent.containsKey(peer) || reputation.knows(peer))) {
        msg.fail(PeerApi.NOT_CONNECTED, "peer " + peer + " is not known to this node");
        return;
      }
      String why = body.getString("reason", "");
      Reputation.Outcome outcome =
          judge.judge(
              peer,
              event,
              event.points() < 0 ? -points : points,
              "reported " + body.getString("kind") + ": " + why);
      events.reported(peer, body.getString("kind"), outcome.score());
      msg.reply(
          new JsonObject()
              .put("peer", peer)
              .put("score", outcome.score())
              .put("banned", outcome.disconnect()));
    } catch (IllegalArgumentException | ClassCastException e) {
      msg.fail(PeerApi.BAD_REQUEST, e.getMessage());
    }
  }

  private static ReputationEvent event(String kind) {
    return switch (kind == null ? "" : kind) {
      case "invalid" -> ReputationEvent.INVALID_MESSAGE;
      case "useless" -> ReputationEvent.USELESS_MESSAGE;
      case "good" -> ReputationEvent.GOOD_MESSAGE;
      default -> throw new IllegalArgumentException("kind must be invalid, useless or good");
    };
  }
}
