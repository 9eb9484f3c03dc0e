package network.canopy.p2p.reputation;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Scores by peer id, decaying exponentially toward 0. Decay is computed lazily from each entry's
 * last update, so there are no timers; entries that have decayed to about 0 are forgotten, and a
 * hard cap evicts the entry closest to neutral. Times are passed in by the caller.
 */
final class ScoreBook {

  /**
   * Below this magnitude a score counts as neutral and its entry may be forgotten. It is half the
   * smallest event (GOOD_MESSAGE, 0.1), so a single event is never forgotten at once.
   */
  static final double FORGET_BELOW = 0.05;

  private static final class Entry {
    double score;
    long at;
  }

  private final double lambdaPerMilli;
  private final int cap;
  private final Map<String, Entry> entries = new HashMap<>();

  ScoreBook(long halfLifeMillis, int cap) {
    this.lambdaPerMilli = Math.log(2) / halfLifeMillis;
    this.cap = cap;
  }

  /** The decayed score at {@code now}; 0 for an untracked (or just forgotten) peer. */
  double get(String id, long now) {
    Entry e = entries.get(id);
    if (e == null) {
      return 0;
    }
    decay(e, now);
    if (neutral(e.score)) {
      entries.remove(id);
      return 0;
    }
    return e.score;
  }

  /**
   * Stores {@code score} as of {@code now}, then enforces the cap (which may drop this very id).
   */
  void put(String id, double score, long now) {
    Entry e = entries.computeIfAbsent(id, k -> new Entry());
    e.score = score;
    e.at = now;
    if (entries.size() > cap) {
      evict(now);
    }
  }

  int size() {
    return entries.size();
  }

  /** The tracked ids, sorted, after forgetting those that have decayed to neutral. */
  Set<String> ids(long now) {
    forgetNeutral(now);
    return new TreeSet<>(entries.keySet());
  }

  private void decay(Entry e, long now) {
    long elapsed = now - e.at;
    if (elapsed > 0) { // a wall clock stepping back must not make scores grow
      e.score *= Math.exp(-lambdaPerMilli * elapsed);
      e.at = now;
    }
  }

  private void forgetNeutral(long now) {
    entries
        .values()
        .removeIf(
            e -> {
              decay(e, now);
              return neutral(e.score);
            });
  }

  /**
   * Over the cap: forget the neutral entries, then, if still over, the entry closest to neutral
   * (ties broken by id, so eviction is deterministic). Neutral peers carry the least information,
   * and an attacker flooding the book with fresh ids cannot push out the worst offenders.
   */
  private void evict(long now) {
    forgetNeutral(now);
    while (entries.size() > cap) {
      String closest =
          entries.entrySet().stream()
              .min(
                  Comparator.<Map.Entry<String, Entry>>comparingDouble(
                          x -> Math.abs(x.getValue().score))
                      .thenComparing(Map.Entry::getKey))
              .orElseThrow()
              .getKey();
      entries.remove(closest);
    }
  }

  private static boolean neutral(double score) {
    return Math.abs(score) < FORGET_BELOW;
  }
}
