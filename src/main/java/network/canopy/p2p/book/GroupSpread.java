package network.canopy.p2p.book;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks entries group first: a random network group not yet used, then a random entry of it. Every
 * group weighs the same however many addresses it holds, so an attacker with 10,000 addresses in 32
 * groups is picked no more often than 32 honest peers in 32 groups.
 */
final class GroupSpread {

  private final Map<String, List<BookEntry>> byGroup = new LinkedHashMap<>();

  GroupSpread(List<BookEntry> entries) {
    for (BookEntry e : entries) {
      byGroup.computeIfAbsent(PeerBook.networkGroup(e.address), g -> new ArrayList<>()).add(e);
    }
  }

  /** Whether a group outside {@code used} has an entry. */
  boolean hasGroupOutside(Set<String> used) {
    return byGroup.keySet().stream().anyMatch(g -> !used.contains(g));
  }

  /**
   * A random entry of a random group outside {@code used}, whose group is then added to it; null if
   * none.
   */
  BookEntry pick(Set<String> used) {
    List<String> open = byGroup.keySet().stream().filter(g -> !used.contains(g)).toList();
    if (open.isEmpty()) {
      return null;
    }
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String group = open.get(random.nextInt(open.size()));
    List<BookEntry> members = byGroup.get(group);
    used.add(group);
    return members.get(random.nextInt(members.size()));
  }
}
