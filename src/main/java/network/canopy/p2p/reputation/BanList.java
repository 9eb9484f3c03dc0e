package network.canopy.p2p.reputation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Which peer ids may not connect: permanent bans from {@code p2p.bannedPeers} and temporary bans
 * whose length doubles on each repeat. Trusted ids are never banned temporarily. Its size is capped
 * ({@link ReputationSettings#maxBanned()}). Not thread-safe: its owner (the PeerSet) calls it on
 * one context.
 */
public final class BanList {

  /** {@link #bannedUntil} of a peer that is not banned. */
  public static final long NOT_BANNED = -1;

  /** {@link #bannedUntil} of a permanent ban. */
  public static final long FOREVER = Long.MAX_VALUE;

  /** {@link #banReason} of a permanent ban. */
  public static final String CONFIGURED = "p2p.bannedPeers";

  /** A temporary ban, or after it ended, the memory of how many there were. */
  private static final class Entry {
    long until;
    int count;
    String reason;
  }

  private final ReputationSettings settings;
  private final LongSupplier clock;
  private final Set<String> trusted;
  private final Set<String> permanent;
  private final Map<String, Entry> entries = new HashMap<>();

  /**
   * @param clock wall-clock millis; ban ends are reported in this clock
   * @param trusted ids never banned temporarily
   * @param permanent ids banned for ever; this explicit list wins over {@code trusted}
   */
  public BanList(
      ReputationSettings settings, LongSupplier clock, Set<String> trusted, Set<String> permanent) {
    this.settings = settings;
    this.clock = clock;
    this.trusted = Set.copyOf(trusted);
    this.permanent = Set.copyOf(permanent);
  }

  public boolean isTrusted(String id) {
    return trusted.contains(id);
  }

  public boolean isBanned(String id) {
    return isBanned(id, clock.getAsLong());
  }

  /** As {@link #isBanned(String)} at {@code nowMillis}, which must come from the same clock. */
  public boolean isBanned(String id, long nowMillis) {
    return bannedUntil(id, nowMillis) != NOT_BANNED;
  }

  /** When the ban ends (millis), {@link #FOREVER}, or {@link #NOT_BANNED}. */
  public long bannedUntil(String id) {
    return bannedUntil(id, clock.getAsLong());
  }

  private long bannedUntil(String id, long now) {
    if (permanent.contains(id)) {
      return FOREVER;
    }
    Entry e = live(id, now);
    return e != null && now < e.until ? e.until : NOT_BANNED;
  }

  /**
   * Bans {@code id} for the next duration in its series (first ban, doubled per remembered repeat,
   * capped) and returns when it ends. A trusted id is not banned ({@link #NOT_BANNED}); a peer
   * already banned keeps its current ban, which is neither extended nor counted again.
   */
  public long ban(String id, String reason) {
    long now = clock.getAsLong();
    long current = bannedUntil(id, now);
    if (current != NOT_BANNED || trusted.contains(id)) {
      return current;
    }
    Entry e = entries.computeIfAbsent(id, k -> new Entry());
    e.count++;
    e.until = now + duration(e.count);
    e.reason = reason;
    if (entries.size() > settings.maxBanned()) {
      evict(now, id);
    }
    return e.until;
  }

  /**
   * Ends the temporary ban of {@code id} now (an operator lifted it); its repeat count is kept.
   * Returns false when it was not under a temporary ban (a configured ban cannot be lifted here).
   */
  public boolean lift(String id) {
    long now = clock.getAsLong();
    Entry e = live(id, now);
    if (e == null || now >= e.until || permanent.contains(id)) {
      return false;
    }
    e.until = now;
    return true;
  }

  /** How many temporary bans {@code id} has had that are still remembered (0 for none). */
  public int banCount(String id) {
    Entry e = live(id, clock.getAsLong());
    return e == null ? 0 : e.count;
  }

  /** Why the current or last remembered ban was made, or null. */
  public String banReason(String id) {
    if (permanent.contains(id)) {
      return CONFIGURED;
    }
    Entry e = live(id, clock.getAsLong());
    return e == null ? null : e.reason;
  }

  /** Every id banned now or with a remembered ban, permanent ones included, sorted. */
  public Set<String> ids() {
    long now = clock.getAsLong();
    entries.values().removeIf(e -> forgotten(e, now));
    Set<String> ids = new TreeSet<>(entries.keySet());
    ids.addAll(permanent);
    return ids;
  }

  /** A temporary ban, current or remembered, as saved in {@link BanStore}. */
  public record Temporary(String id, long until, int count, String reason) {}

  /** Every temporary ban still current or remembered (for saving), in id order. */
  public List<Temporary> temporary() {
    long now = clock.getAsLong();
    entries.values().removeIf(e -> forgotten(e, now));
    List<Temporary> out = new ArrayList<>(entries.size());
    new TreeMap<>(entries)
        .forEach((id, e) -> out.add(new Temporary(id, e.until, e.count, e.reason)));
    return out;
  }

  /** Puts back a saved temporary ban (at start, before any event); a forgotten one is skipped. */
  public void restore(Temporary saved) {
    if (trusted.contains(saved.id())
        || saved.count() < 1
        || clock.getAsLong() - saved.until() >= settings.banMemoryMillis()) {
      return;
    }
    Entry e = entries.computeIfAbsent(saved.id(), k -> new Entry());
    e.until = saved.until();
    e.count = saved.count();
    e.reason = saved.reason();
    if (entries.size() > settings.maxBanned()) {
      evict(clock.getAsLong(), saved.id());
    }
  }

  /** The length of the {@code count}-th ban in a row: doubling from the first, capped. */
  long duration(int count) {
    long d = settings.firstBanMillis();
    for (int i = 1; i < count && d < settings.maxBanMillis(); i++) {
      d *= 2; // no overflow: d < maxBanMillis <= 365 days before doubling
    }
    return Math.min(d, settings.maxBanMillis());
  }

  /** The entry for {@code id}, dropping it first if its memory has run out (lazy expiry). */
  private Entry live(String id, long now) {
    Entry e = entries.get(id);
    if (e != null && forgotten(e, now)) {
      entries.remove(id);
      return null;
    }
    return e;
  }

  private boolean forgotten(Entry e, long now) {
    return now - e.until >= settings.banMemoryMillis();
  }

  /**
   * Over the cap: forget what has run out, then, if still over, the entry (other than the ban just
   * made) whose ban ended or ends first, so the peers released early are those that would have been
   * released soonest anyway.
   */
  private void evict(long now, String keep) {
    entries.values().removeIf(e -> forgotten(e, now));
    while (entries.size() > settings.maxBanned()) {
      String first =
          entries.entrySet().stream()
              .filter(x -> !x.getKey().equals(keep))
              .min(
                  Comparator.<Map.Entry<String, Entry>>comparingLong(x -> x.getValue().until)
                      .thenComparing(Map.Entry::getKey))
              .orElseThrow()
              .getKey();
      entries.remove(first);
    }
  }
}
