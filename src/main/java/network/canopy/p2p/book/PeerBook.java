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
 * The peer book's data, an address manager: bounded entries placed in keyed "new" and "tried"
 * tables ({@link TablePlacement}), the dial history that drives backoff and eviction, and the
 * choices made from it (dial candidates spread over network groups, samples to share, feeler
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
  enum Offer {
    ADDED,
    KNOWN,
    REFUSED
  }

  private final String selfId;
  private final int capacity;
  private final int maxFailures;
  private final LongSupplier clock;
  private final Map<String, BookEntry> entries = new LinkedHashMap<>();

  /** Counts changes worth saving, so the owner can tell when the file is stale. */
  private long changes;

  private final TablePlacement tables;

  /**
   * @param evictions told the reason ("failures", "capacity" or "bucket") of every entry the book
   *     drops
   */
  PeerBook(
      String selfId,
      int capacity,
      int maxFailures,
      LongSupplier clock,
      Consumer<String> evictions) {
    this(selfId, capacity, maxFailures, clock, evictions, AddressTables.freshKey());
  }

  /** With a given bucket key: where every address lands is then fixed (tests). */
  PeerBook(
      String selfId,
      int capacity,
      int maxFailures,
      LongSupplier clock,
      Consumer<String> evictions,
      byte[] key) {
    this.selfId = selfId;
    this.capacity = capacity;
    this.maxFailures = maxFailures;
    this.clock = clock;
    this.tables = new TablePlacement(entries, capacity, clock, evictions, key);
  }

  /** The secret bucket key, saved with the book so a restart keeps every address in its bucket. */
  byte[] key() {
    return tables.key();
  }

  /** Uses a saved key; only before anything is restored. */
  void restoreKey(byte[] key) {
    if (!entries.isEmpty()) {
      throw new IllegalStateException("the key is restored before the entries");
    }
    tables.restoreKey(key);
  }

  /** The network group of an IP literal (IPv4 /16, IPv6 /32); a host name is its own group. */
  public static String networkGroup(HostPort address) {
    return address.ipLiteral().map(AddressScope::group).orElse("name:" + address.host());
  }

  /**
   * The group the address tables count by: the network group of a public address; for a LAN or
   * loopback address the address itself, since there every peer shares one /16 (and a LAN address
   * only ever comes from, and goes to, nodes on that LAN).
   */
  public static String bucketGroup(HostPort address) {
    boolean local = AddressScope.of(address).map(s -> s != AddressScope.PUBLIC).orElse(false);
    return local ? "addr:" + address : networkGroup(address);
  }

  boolean isSelf(String id) {
    return selfId.equals(id);
  }

  /**
   * Restores an entry from the saved file (not a change); a tried entry whose slot is taken goes
   * back to new.
   */
  void restore(BookEntry entry) {
    if (entry.id.equals(selfId) || entries.size() >= capacity || entries.containsKey(entry.id)) {
      return;
    }
    if (entry.source != BookEntry.Source.CONFIG) {
      boolean tried = entry.tried;
      entry.tried = false;
      if (!(tried && tables.promoteInto(entry)) && !tables.placeNew(entry)) {
        return;
      }
    }
    entries.put(entry.id, entry);
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
      tables.unplace(e);
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
    return learned(id, address, bucketGroup(address));
  }

  /**
   * As above, told by a peer of network group {@code sourceGroup}: the entry takes its slot in the
   * new table only if the slot is free or its holder is failing or stale (first come keeps it).
   */
  Offer learned(String id, HostPort address, String sourceGroup) {
    if (id.equals(selfId)) {
      return Offer.REFUSED;
    }
    if (entries.containsKey(id)) {
      return Offer.KNOWN;
    }
    BookEntry e = new BookEntry(id, address, BookEntry.Source.EXCHANGE, clock.getAsLong());
    e.sourceGroup = sourceGroup;
    if (!tables.placeNew(e)) {
      return Offer.REFUSED;
    }
    if (!makeRoom()) {
      tables.unplace(e);
      return Offer.REFUSED;
    }
    entries.put(id, e);
    changes++;
    return Offer.ADDED;
  }

  /**
   * A handshake proved {@code id}: the entry is fresh and its failures forgiven. Only a dial of
   * ours ({@code sourceIfNew} other than INBOUND: an outbound peer or a feeler) proves the address
   * and moves the entry to the tried table; an inbound peer chose us and stays in the new table.
   */
  void seen(String id, HostPort address, BookEntry.Source sourceIfNew) {
    if (id.equals(selfId)) {
      return;
    }
    BookEntry e = entries.get(id);
    if (e == null) {
      e = new BookEntry(id, address, sourceIfNew, clock.getAsLong());
      e.sourceGroup = bucketGroup(address);
      if (!tables.placeNew(e)) {
        return;
      }
      if (!makeRoom()) {
        tables.unplace(e);
        return;
      }
      entries.put(id, e);
    } else if (e.source != BookEntry.Source.CONFIG
        && address != null
        && !address.equals(e.address)) {
      tables.unplace(e);
      e.tried = false;
      e.address = address;
      e.sourceGroup = bucketGroup(address);
      if (!tables.placeNew(e)) {
        tables.drop(e, "bucket");
        changes++;
        return;
      }
    }
    e.lastSeen = clock.getAsLong();
    e.failures = 0;
    changes++;
    if (sourceIfNew != BookEntry.Source.INBOUND) {
      tables.proven(e);
    }
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
    tables.failedTest(e);
    if (!entries.containsKey(id)) {
      return true;
    }
    if (e.failures >= maxFailures && e.source != BookEntry.Source.CONFIG) {
      tables.drop(e, "failures");
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
   * Up to {@code count} entries to dial that are dialable now (not banned, out of backoff, not
   * excluded). First one per network group not in {@code usedGroups}, each taken from the tried or
   * the new table at even odds, group first ({@link GroupSpread}), so neither one operator's range
   * nor a flood of heard-of addresses can take the slots. Entries of used groups fill what remains,
   * proven before unproven and fewer failures first: on a LAN or loopback every peer shares one
   * group.
   */
  List<BookEntry> candidates(int count, Predicate<String> excluded, Set<String> usedGroups) {
    List<BookEntry> eligible = eligible(excluded);
    GroupSpread tried = new GroupSpread(eligible.stream().filter(PeerBook::inTried).toList());
    GroupSpread fresh = new GroupSpread(eligible.stream().filter(e -> !inTried(e)).toList());
    List<BookEntry> picked = new ArrayList<>();
    Set<String> groups = new HashSet<>(usedGroups);
    while (picked.size() < count) {
      boolean triedOpen = tried.hasGroupOutside(groups);
      boolean freshOpen = fresh.hasGroupOutside(groups);
      if (!triedOpen && !freshOpen) {
        break;
      }
      boolean fromTried = triedOpen && (!freshOpen || ThreadLocalRandom.current().nextBoolean());
      picked.add((fromTried ? tried : fresh).pick(groups));
    }
    Collections.shuffle(eligible, ThreadLocalRandom.current());
    eligible.sort(
        Comparator.comparing((BookEntry e) -> !e.verified()).thenComparingInt(e -> e.failures));
    for (BookEntry e : eligible) {
      if (picked.size() < count && !picked.contains(e)) {
        picked.add(e);
      }
    }
    return picked;
  }

  private List<BookEntry> eligible(Predicate<String> excluded) {
    long now = clock.getAsLong();
    List<BookEntry> eligible = new ArrayList<>();
    for (BookEntry e : entries.values()) {
      if (!excluded.test(e.id) && !e.banned(now) && outOfBackoff(e, now)) {
        eligible.add(e);
      }
    }
    return eligible;
  }

  private static boolean inTried(BookEntry e) {
    return e.tried || e.source == BookEntry.Source.CONFIG;
  }

  /**
   * A random sample of entries good enough to tell another peer about: proven at their address (or
   * configured), not failing, not banned, and passing {@code shareable}.
   */
  List<BookEntry> sample(int count, Predicate<BookEntry> shareable) {
    long now = clock.getAsLong();
    List<BookEntry> good = new ArrayList<>();
    for (BookEntry e : entries.values()) {
      if ((e.verified() || e.source == BookEntry.Source.CONFIG)
          && e.failures == 0
          && !e.banned(now)
          && shareable.test(e)) {
        good.add(e);
      }
    }
    Collections.shuffle(good, ThreadLocalRandom.current());
    return good.size() <= count ? good : List.copyOf(good.subList(0, count));
  }

  /**
   * An entry for a feeler dial, dialable now and not excluded: first a tried entry whose slot a
   * newer one wants (test-before-evict: it keeps the slot if it answers), then unproven entries,
   * then entries not yet tried, then any — group first within each kind.
   */
  Optional<BookEntry> feelerTarget(Predicate<String> excluded) {
    List<BookEntry> targets = eligible(excluded);
    for (BookEntry e : targets) {
      if (tables.underTest(e.id)) {
        return Optional.of(e);
      }
    }
    List<BookEntry> unproven = targets.stream().filter(e -> !e.verified()).toList();
    List<BookEntry> untried = targets.stream().filter(e -> !inTried(e)).toList();
    List<BookEntry> from = !unproven.isEmpty() ? unproven : !untried.isEmpty() ? untried : targets;
    return Optional.ofNullable(new GroupSpread(from).pick(new HashSet<>()));
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
   * least recently seen), else the oldest unproven exchange entry. Proven and configured entries
   * stay; when only those remain, the new entry is refused.
   */
  private boolean makeRoom() {
    if (entries.size() < capacity) {
      return true;
    }
    Optional<BookEntry> victim =
        entries.values().stream()
            .filter(e -> e.failures > 0 && e.source != BookEntry.Source.CONFIG)
            .max(
                Comparator.comparingInt((BookEntry e) -> e.failures)
                    .thenComparingLong(e -> -e.lastSeen));
    if (victim.isEmpty()) {
      victim =
          entries.values().stream()
              .filter(e -> !e.verified() && e.source == BookEntry.Source.EXCHANGE)
              .min(Comparator.comparingLong(e -> e.firstSeen));
    }
    victim.ifPresent(e -> tables.drop(e, "capacity"));
    return victim.isPresent();
  }
}
