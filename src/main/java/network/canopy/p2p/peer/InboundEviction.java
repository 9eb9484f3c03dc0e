package network.canopy.p2p.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which inbound peer makes room for a newcomer when the inbound slots are full (after Bitcoin
 * Core's eviction): protect peers of a few network groups picked by a keyed hash, the lowest
 * round-trip times, the most recent application messages and the longest connections; among the
 * rest, evict the youngest connection of the most represented group. An attacker who connects first
 * from a few groups cannot hold the slots, and cannot tell which peers are protected by group.
 */
final class InboundEviction {

  /** What eviction knows of one regular inbound peer. {@code rttNanos} -1 = not measured yet. */
  record Candidate(
      String id, String group, long rttNanos, long lastMessageAt, long connectedSince) {}

  static final int PROTECT_BY_GROUP = 4;
  static final int PROTECT_BY_RTT = 4;
  static final int PROTECT_BY_MESSAGES = 4;

  private final byte[] key = new byte[16];

  InboundEviction() {
    new SecureRandom().nextBytes(key);
  }

  /** The peer to evict, or empty when every one is protected (the newcomer is then refused). */
  Optional<String> select(List<Candidate> inbound) {
    List<Candidate> left = new ArrayList<>(inbound);
    protectDistinctGroups(left);
    protect(
        left,
        Comparator.comparingLong(c -> c.rttNanos() < 0 ? Long.MAX_VALUE : c.rttNanos()),
        PROTECT_BY_RTT);
    protect(
        left, Comparator.comparingLong(Candidate::lastMessageAt).reversed(), PROTECT_BY_MESSAGES);
    protect(left, Comparator.comparingLong(Candidate::connectedSince), left.size() / 2);
    if (left.isEmpty()) {
      return Optional.empty();
    }
    Map<String, List<Candidate>> byGroup = new HashMap<>();
    left.forEach(c -> byGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c));
    // The most represented group; among equals, the one whose newest member connected last.
    List<Candidate> crowded =
        byGroup.values().stream()
            .max(
                Comparator.<List<Candidate>>comparingInt(List::size)
                    .thenComparingLong(InboundEviction::youngest))
            .orElseThrow();
    return crowded.stream()
        .max(Comparator.comparingLong(Candidate::connectedSince))
        .map(Candidate::id);
  }

  private static long youngest(List<Candidate> group) {
    return group.stream().mapToLong(Candidate::connectedSince).max().orElse(0);
  }

  /** Removes the first {@code count} of {@code left} in {@code order}: they stay. */
  private static void protect(List<Candidate> left, Comparator<Candidate> order, int count) {
    left.sort(order);
    left.subList(0, Math.min(count, left.size())).clear();
  }

  /** One peer from each of {@link #PROTECT_BY_GROUP} groups, the groups ranked by a keyed hash. */
  private void protectDistinctGroups(List<Candidate> left) {
    left.sort(
        Comparator.comparingLong((Candidate c) -> rank(c.group()))
            .thenComparingLong(Candidate::connectedSince));
    Set<String> groups = new HashSet<>();
    List<Candidate> kept = new ArrayList<>();
    for (Candidate c : left) {
      if (groups.size() < PROTECT_BY_GROUP && groups.add(c.group())) {
        kept.add(c);
      }
    }
    left.removeAll(kept);
  }

  private long rank(String group) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key);
      sha.update(group.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(sha.digest()).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
