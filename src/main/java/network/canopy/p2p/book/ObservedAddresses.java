package network.canopy.p2p.book;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where peers say they see this node (OBSERVED_ADDRESS, docs/PROTOCOL.md §17.5), and the IP adopted
 * from them: one vote per peer id (its latest), counted once per network group, so many ids from
 * one group — or one lying peer — cannot move it. An IP is adopted when voters of at least {@code
 * quorum} distinct groups name it and no other IP has as many. Owned by the book's context.
 */
final class ObservedAddresses {

  /** Voters remembered; the least recent goes first, so memory stays bounded whatever peers do. */
  static final int MAX_VOTERS = 64;

  private record Vote(InetAddress ip, String group) {}

  private final int quorum;
  private final Map<String, Vote> votes =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Vote> eldest) {
          return size() > MAX_VOTERS;
        }
      };
  private InetAddress adopted;

  ObservedAddresses(int quorum) {
    this.quorum = quorum;
  }

  /**
   * Peer {@code peerId}, of network group {@code group}, sees this node at {@code ip}. Returns the
   * IP when this vote made it the adopted one (it was not before).
   */
  Optional<InetAddress> vote(String peerId, String group, InetAddress ip) {
    votes.put(peerId, new Vote(ip, group));
    Map<InetAddress, Set<String>> groups = new HashMap<>();
    votes
        .values()
        .forEach(v -> groups.computeIfAbsent(v.ip(), k -> new HashSet<>()).add(v.group()));
    InetAddress best = null;
    int bestCount = 0;
    boolean tie = false;
    for (Map.Entry<InetAddress, Set<String>> e : groups.entrySet()) {
      int count = e.getValue().size();
      if (count > bestCount) {
        best = e.getKey();
        bestCount = count;
        tie = false;
      } else if (count == bestCount) {
        tie = true;
      }
    }
    if (best == null || tie || bestCount < quorum || best.equals(adopted)) {
      return Optional.empty();
    }
    adopted = best;
    return Optional.of(best);
  }

  Optional<InetAddress> adopted() {
    return Optional.ofNullable(adopted);
  }
}
