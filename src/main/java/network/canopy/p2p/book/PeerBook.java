package network.canopy.p2p.book;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import network.canopy.p2p.config.HostPort;

/**
 * The peer book's data: bounded entries, the dial history that drives backoff and eviction, and
 * the choices made from it (dial candidates spread over network groups, samples to share, feeler
 * targets). Plain and single-threaded: the {@link PeerBookVerticle} owns it on its context.
 */
public final class PeerBook {

  /** Backoff after the first failed dial; doubles with each further failure. */
  static final long FIRST_BACKOFF_MS = 2_000;
  static final long MAX_BACKOFF_MS = 30 * 60_000;
  /**
   * A peer whose connection just ended is not dialled again for this long: it may have dropped us
   * on purpose (full, shutting down) or an operator disconnected it, and an instant redial would
   * undo that. {@code p2p.dial} peers are the redialer's, not the book's.
   */
  static final long RECONNECT_COOLDOWN_MS = 30_000;

  /** What became of an address offered to the book. */
  enum Offer { ADDED, KNOWN, REFUSED }

  private final String selfId;
  private final int capacity;
  private final int maxFailures;
  private final LongSupplier clock;
  private final Map<String, BookEntry> entries = new LinkedHashMap<>();
  /** Counts changes worth saving, so the owner can tell when the file is stale. */
  private long changes;
  private final Consumer<String> evictions;

  /** @param evictions told the reason ("failures" or "capacity") of every entry the book drops */
  PeerBook(String selfId, int capacity, int maxFailures, LongSupplier clock, Consumer<String> evictions) {
    this.selfId = selfId;
    this.capacity = capacity;
    this.maxFailures = maxFailures;
    this.clock = clock;
    this.evictions = evictions;
  }

  /** The network group of an IP literal (IPv4 /16, IPv6 /32); a host name is its own group. */
  public static String networkGroup(HostPort address) {
    return address.ipLiteral().map(AddressScope::group).orElse("name:" + address.host());
  }

  boolean isSelf(String id) {
    return selfId.equals(id);
  }

  /** Restores an entry from the saved file (not a change). */
  void restore(BookEntry entry) {
    if (!entry.id.equals(selfId) && entries.size() < capacity) {
      entries.put(entry.id, entry);
    }
  }

  /** A {@code p2p.dial} peer: always in the book at its configured address. */
  void configured(String id, HostPort address) {
    BookEntry e = entries.get(id);
    if (e == null) {
      if (!makeRoom()) {
        return;
      }
      entries.put(id, new BookEntry(id, address, BookEntry.Source.CONFIG, clock.getAsLong()));
    } else {
      e.address = address;
      e.source = BookEntry.Source.CONFIG;
    }
    changes++;
  }

  /**
   * An address heard from another peer. An id already in the book keeps its address: exchange can
   * neither move a known peer nor touch a {@code p2p.dial} one.
   */
  Offer learned(String id, HostPort address) {
    if (id.equals(selfId)) {
      return Offer.REFUSED;
    }
    if (entries.containsKey(id)) {
      return Offer.KNOWN;
    }
    if (!makeRoom()) {
      return Offer.REFUSED;
    }
    entries.put(id, new BookEntry(id, address, BookEntry.Source.EXCHANGE, clock.getAsLong()));
    changes++;
    return Offer.ADDED;
  }

  /** A handshake proved {@code id} at {@code address}: the entry is fresh and its failures forgiven. */
  void seen(String id, HostPort address, BookEntry.Source sourceIfNew) {
    if (id.equals(selfId)) {
      return;
    }
    BookEntry e = entries.get(id);
    if (e == null) {
      if (!makeRoom()) {
        return;
      }
      e = new BookEntry(id, address, sourceIfNew, clock.getAsLong());
      entries.put(id, e);
    } else if (e.source != BookEntry.Source.CONFIG && address != null) {
      e.address = address;
    }
    e.lastSeen = clock.getAsLong();
    e.failures = 0;
    changes++;
  }

  void disconnected(String id) {
    BookEntry e = entries.get(id);
    if (e != null) {
      e.lastDisconnect = clock.getAsLong();
    }
  }

  void attempted(String id) {
    BookEntry e = entries.get(id);
    if (e != null) {
      e.lastAttempt = clock.getAsLong();
    }
  }

  /** A dial failed; returns true when that was one failure too many and the entry is gone. */
  boolean failed(String id) {
    BookEntry e = entries.get(id);
    if (e == null) {
      return false;
    }
    e.failures++;
    e.lastAttempt = clock.getAsLong();
    changes++;
    if (e.failures >= maxFailures && e.source != BookEntry.Source.CONFIG) {
      entries.remove(id);
      evictions.accept("failures");
      return true;
    }
    return false;
  }

  void banned(String id, long until) {
    BookEntry e = entries.get(id);
    if (e != null && until > e.bannedUntil) {
      e.bannedUntil = until;
      changes++;
    }
  }

  /**
   * Up to {@code count} entries to dial, best first: dialable now (not banned, out of backoff, not
   * excluded), proven before unproven, fewer failures first, at random among equals — and first one
   * per network group not in {@code usedGroups}, so one operator's range cannot take every slot.
   * Entries of used groups fill what remains: on a LAN or loopback every peer shares one group.
   */
  List<BookEntry> candidates(int count, Predicate<String> excluded, Set<String> usedGroups) {
    long now = clock.getAsLong();
    List<BookEntry> eligible = new ArrayList<>();
    for (BookEntry e : entries.values()) {
      if (!excluded.test(e.id) && !e.banned(now) && outOfBackoff(e, now)) {
        eligible.add(e);
      }
    }
    Collections.shuffle(eligible, ThreadLocalRandom.current());
    eligible.sort(Comparator.comparing((BookEntry e) -> !e.verified()).thenComparingInt(e -> e.failures));
    List<BookEntry> picked = new ArrayList<>();
    Set<String> groups = new HashSet<>(usedGroups);
    for (BookEntry e : eligible) {
      if (picked.size() < count && groups.add(networkGroup(e.address))) {
        picked.add(e);
      }
    }
    for (BookEntry e : eligible) {
      if (picked.size() < count && !picked.contains(e)) {
        picked.add(e);
      }
    }
    return picked;
  }

  /**
   * A random sample of entries good enough to tell another peer about: proven at their address
   * (or configured), not failing, not banned, and passing {@code shareable}.
   */
  List<BookEntry> sample(int count, Predicate<BookEntry> shareable) {
    long now = clock.getAsLong();
    List<BookEntry> good = new ArrayList<>();
    for (BookEntry e : entries.values()) {
      if ((e.verified() || e.source == BookEntry.Source.CONFIG) && e.failures == 0 && !e.banned(now)
          && shareable.test(e)) {
        good.add(e);
      }
    }
    Collections.shuffle(good, ThreadLocalRandom.current());
    return good.size() <= count ? good : List.copyOf(good.subList(0, count));
  }

  /** An entry for a feeler dial: dialable now and not excluded, unproven ones first. */
  Optional<BookEntry> feelerTarget(Predicate<String> excluded) {
    List<BookEntry> targets = candidates(Integer.MAX_VALUE, excluded, Set.of());
    List<BookEntry> unproven = targets.stream().filter(e -> !e.verified()).toList();
    List<BookEntry> from = unproven.isEmpty() ? targets : unproven;
    return from.isEmpty() ? Optional.empty() : Optional.of(from.get(ThreadLocalRandom.current().nextInt(from.size())));
  }

  Optional<BookEntry> get(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  Collection<BookEntry> entries() {
    return Collections.unmodifiableCollection(entries.values());
  }

  int size() {
    return entries.size();
  }

  long changes() {
    return changes;
  }

  static long backoff(int failures) {
    if (failures <= 0) {
      return 0;
    }
    return Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(30, failures - 1));
  }

  private static boolean outOfBackoff(BookEntry e, long now) {
    return now >= e.lastAttempt + backoff(e.failures)
        && (e.lastDisconnect == 0 || now >= e.lastDisconnect + RECONNECT_COOLDOWN_MS);
  }

  /**
   * Frees one slot when the book is full: the stalest failing entry goes first (most failures, then
   * least recently seen), else the oldest unproven exchange entry. Proven and configured entries stay;
   * when only those remain, the new entry is refused.
   */
  private boolean makeRoom() {
    if (entries.size() < capacity) {
      return true;
    }
    Optional<BookEntry> victim = entries.values().stream()
        .filter(e -> e.failures > 0 && e.source != BookEntry.Source.CONFIG)
        .max(Comparator.comparingInt((BookEntry e) -> e.failures).thenComparingLong(e -> -e.lastSeen));
    if (victim.isEmpty()) {
      victim = entries.values().stream()
          .filter(e -> !e.verified() && e.source == BookEntry.Source.EXCHANGE)
          .min(Comparator.comparingLong(e -> e.firstSeen));
    }
    victim.ifPresent(e -> {
      entries.remove(e.id);
      evictions.accept("capacity");
    });
    return victim.isPresent();
  }
}
