package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** The book as an address manager: new and tried tables, source limits, test-before-evict. */
class AddressManagerTest {

  private static final int CAPACITY = 1000;
  private final ManualClock clock = new ManualClock(1_000_000);
  private final byte[] key = new byte[AddressTables.KEY_BYTES];
  private final List<String> evictions = new ArrayList<>();

  AddressManagerTest() {
    Arrays.fill(key, (byte) 7);
  }

  private static String id(int n) {
    return String.format("%064x", n);
  }

  private PeerBook book() {
    return new PeerBook(id(0), CAPACITY, 10, clock, evictions::add, key);
  }

  @Test
  void oneSourceGroupFillsOnlyItsFewBucketsAndCannotPushOutEntriesAlreadyThere() {
    PeerBook book = book();
    for (int i = 1; i <= 300; i++) {
      book.learned(id(i), new HostPort((i % 200 + 1) + ".9.0.1", 9001), "v4:" + (i % 50) + ".1");
    }
    int honest = book.size();
    int added = 0;
    for (int i = 0; i < 5000; i++) {
      HostPort address =
          new HostPort("66." + (i % 32) + "." + (i / 250 % 250) + "." + (1 + i % 250), 9001);
      if (book.learned(id(10_000 + i), address, "v4:66.0") == PeerBook.Offer.ADDED) {
        added++;
      }
    }
    AddressTables layout = new AddressTables(key, CAPACITY);
    int perSource =
        (layout.slots(false) / AddressTables.BUCKET_SIZE / 16) * AddressTables.BUCKET_SIZE;
    assertThat(added)
        .as("5000 addresses from one source group get at most its %d slots", perSource)
        .isLessThanOrEqualTo(perSource);
    assertThat(book.size() - added)
        .as("no entry already in the book was displaced")
        .isEqualTo(honest);
    assertThat(evictions).isEmpty();
  }

  @Test
  void onlyADialOfOursMovesAnEntryToTheTriedTable() {
    PeerBook book = book();
    HostPort a = HostPort.parse("198.51.100.1:9001");
    HostPort b = HostPort.parse("203.0.113.1:9001");
    book.seen(id(1), a, BookEntry.Source.INBOUND);
    book.seen(id(2), b, BookEntry.Source.DIAL);
    assertThat(book.get(id(1)).orElseThrow().tried).as("an inbound peer chose us").isFalse();
    assertThat(book.get(id(2)).orElseThrow().tried).as("we dialled it").isTrue();
  }

  /** A book of 64 has one tried bucket of 16: 16 dialled peers fill it, the 17th collides. */
  @Test
  void aTriedEntryKeepsItsSlotWhenItAnswersAndLosesItOnlyWhenItFails() {
    PeerBook book = new PeerBook(id(0), 64, 10, clock, evictions::add, key);
    for (int i = 1; i <= 16; i++) {
      book.seen(id(i), new HostPort("198.51.100." + i, 9001), BookEntry.Source.DIAL);
      assertThat(book.get(id(i)).orElseThrow().tried).isTrue();
    }
    HostPort newcomer = new HostPort("198.51.100.17", 9001);
    book.seen(id(17), newcomer, BookEntry.Source.DIAL);
    assertThat(book.get(id(17)).orElseThrow().tried).as("waits for the holder's test").isFalse();
    String holder = book.feelerTarget(x -> false).orElseThrow().id;
    assertThat(book.get(holder).orElseThrow().tried).as("a tried holder is tested first").isTrue();

    book.seen(
        holder, book.get(holder).orElseThrow().address, BookEntry.Source.EXCHANGE); // it answered
    assertThat(book.get(holder).orElseThrow().tried).isTrue();
    assertThat(book.get(id(17)).orElseThrow().tried).isFalse();

    book.seen(id(17), newcomer, BookEntry.Source.DIAL); // wants the slot again
    assertThat(book.feelerTarget(x -> false).orElseThrow().id).isEqualTo(holder);
    book.failed(holder); // this time the test fails
    assertThat(book.get(holder).map(e -> e.tried))
        .as("back to the new table or out")
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(book.get(id(17)).orElseThrow().tried).as("the proven newcomer moves in").isTrue();
  }

  @Test
  void theKeyAndTheTablesSurviveASaveAndLoad() {
    PeerBook book = book();
    book.seen(id(1), HostPort.parse("198.51.100.1:9001"), BookEntry.Source.DIAL);
    book.learned(id(2), HostPort.parse("203.0.113.1:9001"), "v4:8.8");
    var doc = PeerBookStore.encode(book.entries(), book.key(), clock.getAsLong()).toJsonObject();

    PeerBook loaded = new PeerBook(id(0), CAPACITY, 10, clock, evictions::add);
    loaded.restoreKey(PeerBookStore.key(doc));
    doc.getJsonArray("entries")
        .forEach(e -> loaded.restore(BookEntry.fromJson((io.vertx.core.json.JsonObject) e)));
    assertThat(loaded.key()).isEqualTo(key);
    assertThat(loaded.get(id(1)).orElseThrow().tried).isTrue();
    assertThat(loaded.get(id(2)).orElseThrow().sourceGroup).isEqualTo("v4:8.8");
  }

  @Test
  void outboundPicksWeighGroupsNotAddresses() {
    PeerBook book = book();
    for (int i = 1; i <= 28; i++) {
      book.learned(id(i), new HostPort((i + 10) + ".1.0.1", 9001), "v4:" + (i + 10) + ".1");
    }
    int honest = book.size();
    assertThat(honest).as("28 honest groups, a hash collision or so aside").isGreaterThan(24);
    Set<String> attackerIds = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      String id = id(50_000 + i);
      HostPort address =
          new HostPort("66." + (i % 4) + "." + (i / 250 % 250) + "." + (1 + i % 250), 9001);
      if (book.learned(id, address, "v4:" + (i % 64) + ".66") == PeerBook.Offer.ADDED) {
        attackerIds.add(id);
      }
    }
    assertThat(book.size() - attackerIds.size())
        .as("the flood displaced no honest entry")
        .isEqualTo(honest);
    int attacker = 0;
    for (int round = 0; round < 100; round++) {
      attacker +=
          (int)
              book.candidates(1, x -> false, Set.of()).stream()
                  .filter(e -> attackerIds.contains(e.id))
                  .count();
    }
    // 4 attacker groups against about 28 honest ones: some 13 of 100 picks, whatever the address
    // counts.
    assertThat(attacker).as("attacker picks of 100").isLessThan(30);
  }
}
