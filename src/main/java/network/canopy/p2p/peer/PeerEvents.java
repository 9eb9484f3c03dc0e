package network.canopy.p2p.peer;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Publishes the PeerSet's events on {@code <prefix>.events} (see README, "Event bus"). */
final class PeerEvents {

  private final EventBus bus;
  private final String address;

  PeerEvents(EventBus bus, String address) {
    this.bus = bus;
    this.address = address;
  }

  void connected(ConnectedPeer peer) {
    bus.publish(
        address,
        new JsonObject()
            .put("type", "peer.connected")
            .put("peer", peer.id)
            .put("direction", peer.outbound ? "outbound" : "inbound")
            .put("address", String.valueOf(peer.encrypted.remoteAddress())));
  }

  void disconnected(ConnectedPeer peer, String reason, String detail) {
    bus.publish(
        address,
        new JsonObject()
            .put("type", "peer.disconnected")
            .put("peer", peer.id)
            .put("reason", reason)
            .put("detail", detail));
  }

  /** {@code until} in epoch millis; {@code Long.MAX_VALUE} for a permanent ban. */
  void banned(String peerId, String reason, long until, double score) {
    bus.publish(
        address,
        new JsonObject()
            .put("type", "peer.banned")
            .put("peer", peerId)
            .put("source", BanKeeper.REPUTATION)
            .put("reason", reason)
            .put("until", until)
            .put("score", score));
  }

  /** An operator ban of a peer id or ({@code ip}) an IP or CIDR range. */
  void operatorBan(String target, boolean ip, String reason, long until) {
    bus.publish(
        address,
        new JsonObject()
            .put("type", "peer.banned")
            .put(ip ? "ip" : "peer", target)
            .put("source", BanKeeper.OPERATOR)
            .put("reason", reason)
            .put("until", until));
  }

  void unbanned(String target, boolean ip) {
    bus.publish(
        address, new JsonObject().put("type", "peer.unbanned").put(ip ? "ip" : "peer", target));
  }

  /** An application's report on a peer moved its reputation. */
  void reported(String peerId, String kind, double score) {
    bus.publish(
        address,
        new JsonObject()
            .put("type", "peer.reported")
            .put("peer", peerId)
            .put("kind", kind)
            .put("score", score));
  }
}
