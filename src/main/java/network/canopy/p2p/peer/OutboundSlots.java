package network.canopy.p2p.peer;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import network.canopy.p2p.book.PeerBook;
import network.canopy.p2p.config.PeerAddress;

/**
 * The PeerSet's outbound slots as the {@link OutboundFiller} sees them: how many regular slots are
 * free, which peers it must not dial, and which network groups outbound peers already use. Reads
 * the PeerSet's state, so it is used on the PeerSet's context only.
 */
final class OutboundSlots {

  private final String selfId;
  private final int maxOutbound;
  private final Map<String, ConnectedPeer> peers;
  private final AdmissionPolicy admission;
  private final Redialer redialer;

  OutboundSlots(
      String selfId,
      int maxOutbound,
      Map<String, ConnectedPeer> peers,
      AdmissionPolicy admission,
      Redialer redialer) {
    this.selfId = selfId;
    this.maxOutbound = maxOutbound;
    this.peers = peers;
    this.admission = admission;
    this.redialer = redialer;
  }

  int free() {
    return maxOutbound - admission.countRegular(true);
  }

  /**
   * Connected peers, this node, and the peers the redialer keeps ({@code p2p.dial}, must-connect).
   */
  Set<String> notToDial() {
    Set<String> out = new HashSet<>(peers.keySet());
    out.add(selfId);
    out.addAll(redialer.kept());
    return out;
  }

  Set<String> usedGroups() {
    Set<String> groups = new HashSet<>();
    peers.values().stream()
        .filter(p -> p.outbound)
        .map(ConnectedPeer::dialable)
        .filter(Objects::nonNull)
        .forEach(a -> groups.add(PeerBook.networkGroup(a)));
    return groups;
  }

  /**
   * The regular outbound peers connected longest (at most two) with a dialable address, saved as
   * anchors for the next start; not the {@code p2p.dial}, must-connect or trusted peers, which are
   * dialled anyway.
   */
  List<PeerAddress> anchors() {
    Set<String> kept = redialer.kept();
    return peers.values().stream()
        .filter(
            p ->
                p.outbound
                    && !admission.exempt(p.id)
                    && !kept.contains(p.id)
                    && p.dialable() != null)
        .sorted(Comparator.comparingLong(p -> p.connectedSince))
        .limit(2)
        .map(p -> new PeerAddress(p.id, p.dialable()))
        .toList();
  }
}
