package network.canopy.p2p.peer;

import java.time.Instant;
import java.util.Map;
import network.canopy.p2p.book.PeerBookVerticle;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.gossip.GossipAbuse;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.reputation.ReputationEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what peers did into reputation, and reputation and operator bans into disconnections: the
 * PeerSet's judge, on the PeerSet's context (it reads the PeerSet's peer map).
 */
final class PeerJudge {

  private static final Logger log = LoggerFactory.getLogger(PeerJudge.class);

  private final Map<String, ConnectedPeer> peers;
  private final Reputation reputation;
  private final BanKeeper bans;
  private final PeerBookVerticle book;
  private final PeerEvents events;

  PeerJudge(
      Map<String, ConnectedPeer> peers,
      Reputation reputation,
      BanKeeper bans,
      PeerBookVerticle book,
      PeerEvents events) {
    this.peers = peers;
    this.reputation = reputation;
    this.bans = bans;
    this.book = book;
    this.events = events;
  }

  /**
   * On this context: records the event; at the threshold bans (and saves the ban) and disconnects.
   */
  Reputation.Outcome judge(String peerId, ReputationEvent event, double points, String why) {
    Reputation.Outcome outcome = reputation.record(peerId, event, points);
    if (outcome.verdict() != Reputation.Verdict.BANNED) {
      return outcome;
    }
    log.warn(
        "peer {} banned until {}: {} (score {})",
        PeerId.shortForm(peerId),
        Instant.ofEpochMilli(outcome.bannedUntil()),
        why,
        outcome.score());
    book.peerBanned(
        peerId, outcome.bannedUntil()); // first, so whoever hears the event finds the book marked
    bans.changed();
    events.banned(peerId, event.name(), outcome.bannedUntil(), outcome.score());
    ConnectedPeer peer = peers.get(peerId);
    if (peer != null) {
      peer.close("banned: " + event.name());
    }
    return outcome;
  }

  /** After an operator ban: disconnects every connected peer it now covers (by id or address). */
  void disconnectBanned() {
    for (ConnectedPeer peer : peers.values()) {
      String refusal = bans.refusal(peer.id, peer.remoteIp());
      if (refusal != null) {
        peer.close(refusal);
      }
    }
  }

  /** What a lazy-push abuse (docs/PROTOCOL.md §13.3) costs. */
  static ReputationEvent reputationEvent(GossipAbuse abuse) {
    return switch (abuse) {
      case ANNOUNCE_FLOOD -> ReputationEvent.GOSSIP_ANNOUNCE_FLOOD;
      case REQUEST_FLOOD -> ReputationEvent.GOSSIP_REQUEST_FLOOD;
      case BROKEN_PROMISE -> ReputationEvent.GOSSIP_BROKEN_PROMISE;
    };
  }

  /**
   * Staying connected earns a little reputation, every {@link
   * ReputationEvent#CONNECTED_LONG_EVERY_MILLIS}.
   */
  void rewardLongConnections() {
    long now = System.currentTimeMillis();
    for (ConnectedPeer peer : peers.values()) {
      if (now - peer.connectedSince >= ReputationEvent.CONNECTED_LONG_EVERY_MILLIS) {
        reputation.record(peer.id, ReputationEvent.CONNECTED_LONG);
      }
    }
  }
}
