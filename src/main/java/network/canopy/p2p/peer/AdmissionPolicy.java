package network.canopy.p2p.peer;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.reputation.BanList;
import network.canopy.p2p.reputation.Reputation;

/**
 * Decides whether an authenticated connection may join the active set: bans, duplicates, limits,
 * and which inbound peer makes room for a newcomer when the inbound slots are full. A plain object
 * the PeerSet owns and calls on its own context, reading the PeerSet's peer map.
 */
final class AdmissionPolicy {

  /** Why a connection may not join: the text the peer is told, and the metric tag. */
  record Refused(String reason, String kind) {}

  private final String selfId;
  private final P2pConfig p2p;
  private final Map<String, ConnectedPeer> peers;
  private final Reputation reputation;
  private final Set<String> trusted;
  private final Supplier<Set<String>> mustConnect;
  private final BiFunction<String, InetAddress, String> operatorBan;
  private final InboundEviction eviction = new InboundEviction();

  /**
   * @param operatorBan why an operator ban refuses a peer id or address, or null
   */
  AdmissionPolicy(
      String selfId,
      P2pConfig p2p,
      Map<String, ConnectedPeer> peers,
      Reputation reputation,
      Supplier<Set<String>> mustConnect,
      BiFunction<String, InetAddress, String> operatorBan) {
    this.operatorBan = operatorBan;
    this.selfId = selfId;
    this.p2p = p2p;
    this.peers = peers;
    this.reputation = reputation;
    this.trusted = Set.copyOf(p2p.trustedPeers());
    this.mustConnect = mustConnect;
  }

  /** Null when the connection may join; duplicates the new one wins are admitted (and replace). */
  Refused check(EncryptedConn conn, boolean stopping) {
    String id = conn.remoteId();
    if (stopping) {
      return new Refused("node is shutting down", "shutting_down");
    }
    String operator = operatorBan.apply(id, ConnectedPeer.ipOf(conn));
    if (operator != null) {
      return new Refused(operator, "banned");
    }
    if (reputation.isBanned(id)) {
      long until = reputation.bans().bannedUntil(id);
      return new Refused(
          until == BanList.FOREVER ? "banned peer" : "banned until " + Instant.ofEpochMilli(until),
          "banned");
    }
    ConnectedPeer existing = peers.get(id);
    if (existing != null && !newWinsDuplicate(existing, conn)) {
      return new Refused("duplicate connection", "duplicate");
    }
    if (existing == null && !exempt(id)) {
      boolean outbound = conn.outbound();
      int limit = outbound ? p2p.maxOutbound() : p2p.maxInbound();
      if (countRegular(outbound) >= limit) {
        String direction = outbound ? "outbound" : "inbound";
        return new Refused(direction + " limit " + limit + " reached", direction + "_limit");
      }
    }
    return null;
  }

  /**
   * The regular inbound peer to close so that {@code refused} (an inbound newcomer over the limit)
   * can join instead; empty when none may go ({@link InboundEviction}).
   */
  Optional<ConnectedPeer> evictionFor(Refused refused) {
    if (!refused.kind().equals("inbound_limit")) {
      return Optional.empty();
    }
    List<InboundEviction.Candidate> inbound =
        peers.values().stream()
            .filter(p -> !p.outbound && !exempt(p.id))
            .map(
                p ->
                    new InboundEviction.Candidate(
                        p.id, p.networkGroup(), p.rttNanos(), p.lastMessageAt(), p.connectedSince))
            .toList();
    return eviction.select(inbound).map(peers::get);
  }

  /** Trusted and must-connect peers do not count against the limits. */
  boolean exempt(String id) {
    return trusted.contains(id) || mustConnect.get().contains(id);
  }

  /**
   * Both ends of a doubled connection apply the same rule on the two ids, so they keep the same one
   * without a word: the connection dialled by the lower node id survives.
   */
  private boolean newWinsDuplicate(ConnectedPeer existing, EncryptedConn candidate) {
    if (existing.outbound == candidate.outbound()) {
      return false;
    }
    String lower = selfId.compareTo(candidate.remoteId()) < 0 ? selfId : candidate.remoteId();
    String candidateDialer = candidate.outbound() ? selfId : candidate.remoteId();
    return candidateDialer.equals(lower);
  }

  int countRegular(boolean outbound) {
    return (int)
        peers.values().stream().filter(p -> p.outbound == outbound && !exempt(p.id)).count();
  }
}
