package network.canopy.p2p.book;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Where the book's entries sit in the keyed new and tried tables ({@link AddressTables}), and how
 * they move: placement in the new table, promotion of proven entries with test-before-evict,
 * demotion of a tried entry that failed its test, and removal. Works on the {@link PeerBook}'s
 * entry map, on its owner's context.
 */
final class TablePlacement {

  /** An unproven entry this old yields its new-table slot to a newcomer. */
  static final long STALE_UNPROVEN_MS = 30L * 24 * 3600 * 1000;

  /** Tried-table collisions waiting for a feeler to test the entry in place (test-before-evict). */
  static final int MAX_COLLISIONS = 16;

  private final Map<String, BookEntry> entries;
  private final int capacity;
  private final LongSupplier clock;
  private final Consumer<String> evictions;
  private AddressTables tables;

  /** Tried entry under test → the proven entry that wants its slot. */
  private final Map<String, String> collisions = new LinkedHashMap<>();

  TablePlacement(
      Map<String, BookEntry> entries,
      int capacity,
      LongSupplier clock,
      Consumer<String> evictions,
      byte[] key) {
    this.entries = entries;
    this.capacity = capacity;
    this.clock = clock;
    this.evictions = evictions;
    this.tables = new AddressTables(key, capacity);
  }

  byte[] key() {
    return tables.key();
  }

  /** Uses a saved key; the caller makes sure no entry is placed yet. */
  void restoreKey(byte[] key) {
    tables = new AddressTables(key, capacity);
  }

  /**
   * Whether a proven entry waits for {@code id}'s tried slot: a feeler should test {@code id}
   * first.
   */
  boolean underTest(String id) {
    return collisions.containsKey(id);
  }

  /** {@code id} failed a dial: if it was under test, it loses its tried slot to the challenger. */
  void failedTest(BookEntry e) {
    String challenger = collisions.remove(e.id);
    if (challenger != null && e.tried) {
      demote(e, challenger);
    }
  }

  /**
   * Takes {@code e}'s new-table slot, evicting a failing or stale holder; false if a good one holds
   * it.
   */
  boolean placeNew(BookEntry e) {
    if (e.sourceGroup == null) {
      e.sourceGroup = PeerBook.bucketGroup(e.address);
    }
    AddressTables.Slot slot =
        tables.newSlot(e.address.toString(), PeerBook.bucketGroup(e.address), e.sourceGroup);
    String holder = tables.occupant(slot);
    if (holder != null && !holder.equals(e.id)) {
      BookEntry other = entries.get(holder);
      if (other != null && !replaceable(other)) {
        return false;
      }
      if (other != null) {
        drop(other, "bucket");
      }
    }
    tables.put(slot, e.id);
    e.slot = slot;
    return true;
  }

  /** A new-table holder yields to a newcomer when it is failing or unproven for a month. */
  private boolean replaceable(BookEntry e) {
    return e.failures > 0 || (!e.verified() && clock.getAsLong() - e.firstSeen > STALE_UNPROVEN_MS);
  }

  /**
   * A dial proved {@code e}: into the tried table, unless another tried entry holds the slot — then
   * that one is tested by the next feeler first, and loses the slot only if it fails
   * (test-before-evict: an attacker's fresh addresses cannot push out peers known to work).
   */
  void proven(BookEntry e) {
    collisions.remove(e.id);
    if (e.source == BookEntry.Source.CONFIG || e.tried) {
      return;
    }
    if (!promoteInto(e)) {
      AddressTables.Slot slot =
          tables.triedSlot(e.address.toString(), PeerBook.bucketGroup(e.address));
      String holder = tables.occupant(slot);
      if (collisions.size() < MAX_COLLISIONS || collisions.containsKey(holder)) {
        collisions.put(holder, e.id);
      }
    }
  }

  /** Moves {@code e} to its tried slot if that is free; false if another entry holds it. */
  boolean promoteInto(BookEntry e) {
    AddressTables.Slot slot =
        tables.triedSlot(e.address.toString(), PeerBook.bucketGroup(e.address));
    String holder = tables.occupant(slot);
    if (holder != null && !holder.equals(e.id)) {
      return false;
    }
    unplace(e);
    tables.put(slot, e.id);
    e.slot = slot;
    e.tried = true;
    return true;
  }

  /**
   * The tried entry {@code e} failed its test: back to the new table (or out), and the challenger
   * moves in.
   */
  private void demote(BookEntry e, String challengerId) {
    unplace(e);
    e.tried = false;
    if (!placeNew(e)) {
      drop(e, "bucket");
    }
    BookEntry challenger = entries.get(challengerId);
    if (challenger != null && challenger.verified()) {
      promoteInto(challenger);
    }
  }

  /** Removes {@code e} from the book, its slot and any pending test. */
  void drop(BookEntry e, String reason) {
    unplace(e);
    entries.remove(e.id);
    collisions.remove(e.id);
    collisions.values().remove(e.id);
    evictions.accept(reason);
  }

  void unplace(BookEntry e) {
    if (e.slot != null) {
      tables.clear(e.slot, e.id);
      e.slot = null;
    }
  }
}
