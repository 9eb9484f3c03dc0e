package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class PeerBookTest {

  private final ManualClock clock = new ManualClock(1_000_000);
  private final List<String> evictions = new ArrayList<>();

  private static String id(int n) {
    return String.format("%064x", n);
  }

  private static byte[] key(int fill) {
    byte[] key = new byte[AddressTables.KEY_BYTES];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  private PeerBook book(int capacity, int maxFailures) {
    // A fixed bucket key: no two addresses of a test share a slot, whatever the run.
    return new PeerBook(id(0), capacity, maxFailures, clock, evictions::add, key(1));
  }

  @Test
  void failedDialsBackOffExponentiallyAndTheNthFailureEvicts() {
    PeerBook book = book(100, 4);
    book.learned(id(1), HostPort.parse("198.51.100.1:9001"));
    assertThat(book.candidates(5, x -> false, Set.of())).hasSize(1);

    long[] expectedBackoff = {2_000, 4_000, 8_000};
    for (long backoff : expectedBackoff) {
      assertThat(book.failed(id(1))).isFalse();
      assertThat(book.candidates(5, x -> false, Set.of())).as("in backoff").isEmpty();
      clock.advance(backoff - 1);
      assertThat(book.candidates(5, x -> false, Set.of())).as("still in backoff").isEmpty();
      clock.advance(1);
      assertThat(book.candidates(5, x -> false, Set.of())).as("backoff over").hasSize(1);
    }
    assertThat(book.failed(id(1))).as("4th consecutive failure evicts").isTrue();
    assertThat(book.get(id(1))).isEmpty();
    assertThat(evictions).containsExactly("failures");
    assertThat(PeerBook.backoff(40)).isEqualTo(PeerBook.MAX_BACKOFF_MS);
  }

  @Test
  void aPeerJustDisconnectedIsNotRedialledFromTheBookDuringTheCooldown() {
    PeerBook book = book(100, 4);
    book.seen(id(1), HostPort.parse("198.51.100.1:9001"), BookEntry.Source.INBOUND);
    book.disconnected(id(1));
    assertThat(book.candidates(5, x -> false, Set.of())).isEmpty();
    clock.advance(PeerBook.RECONNECT_COOLDOWN_MS);
    assertThat(book.candidates(5, x -> false, Set.of())).hasSize(1);
  }

  @Test
  void aSuccessfulHandshakeForgivesFailuresAndConfiguredPeersAreNeverEvicted() {
    PeerBook book = book(100, 2);
    HostPort a = HostPort.parse("198.51.100.1:9001");
    book.learned(id(1), a);
    book.failed(id(1));
    book.seen(id(1), a, BookEntry.Source.INBOUND);
    assertThat(book.get(id(1)).orElseThrow().failures).isZero();
    assertThat(book.failed(id(1))).isFalse();

    book.configured(id(2), HostPort.parse("198.51.100.2:9001"));
    for (int i = 0; i < 10; i++) {
      assertThat(book.failed(id(2))).isFalse();
    }
    assertThat(book.get(id(2))).isPresent();
  }

  @Test
  void exchangeNeverMovesAKnownPeerNorTakesSelf() {
    PeerBook book = book(100, 10);
    HostPort configured = HostPort.parse("198.51.100.2:9001");
    book.configured(id(2), configured);
    assertThat(book.learned(id(2), HostPort.parse("203.0.113.66:1")))
        .isEqualTo(PeerBook.Offer.KNOWN);
    assertThat(book.get(id(2)).orElseThrow().address).isEqualTo(configured);
    assertThat(book.learned(id(0), HostPort.parse("203.0.113.1:1")))
        .isEqualTo(PeerBook.Offer.REFUSED);
    assertThat(book.size()).isEqualTo(1);
  }

  @Test
  void whenFullTheStalestFailingEntryGoesFirstThenUnprovenOnesAndProvenOnesStay() {
    PeerBook book = book(3, 10);
    book.seen(id(1), HostPort.parse("198.51.100.1:1"), BookEntry.Source.INBOUND);
    book.learned(id(2), HostPort.parse("198.51.100.2:1"));
    book.learned(id(3), HostPort.parse("198.51.100.3:1"));
    book.failed(id(3));
    book.failed(id(3));
    book.failed(id(2));

    assertThat(book.learned(id(4), HostPort.parse("198.51.100.4:1")))
        .isEqualTo(PeerBook.Offer.ADDED);
    assertThat(book.get(id(3))).as("most failures goes first").isEmpty();
    assertThat(book.learned(id(5), HostPort.parse("198.51.100.5:1")))
        .isEqualTo(PeerBook.Offer.ADDED);
    assertThat(book.get(id(2))).as("the other failing one next").isEmpty();
    assertThat(book.learned(id(6), HostPort.parse("198.51.100.6:1")))
        .isEqualTo(PeerBook.Offer.ADDED);
    assertThat(book.get(id(4))).as("then the oldest unproven").isEmpty();
    assertThat(book.get(id(1))).as("proven entries stay").isPresent();
    assertThat(book.size()).isEqualTo(3);
    assertThat(evictions).containsExactly("capacity", "capacity", "capacity");
  }

  /**
   * Network groups are computed from real addresses (IPv4 /16), which are never dialled here: 40
   * entries in one /16 and one in each of five others.
   */
  @Test
  void outboundCandidatesSpreadOverNetworkGroupsBeforeReusingOne() {
    PeerBook book = book(1000, 10);
    for (int i = 1; i <= 40; i++) {
      book.seen(id(i), HostPort.parse("198.51.0." + i + ":9001"), BookEntry.Source.INBOUND);
    }
    String[] others = {"203.0.113.9", "192.0.2.9", "100.20.0.9", "8.8.4.4", "44.1.2.3"};
    for (int i = 0; i < others.length; i++) {
      book.learned(id(100 + i), HostPort.parse(others[i] + ":9001"));
    }
    for (int round = 0; round < 20; round++) {
      List<BookEntry> picked = book.candidates(7, x -> false, Set.of("v4:203.0"));
      Map<String, Integer> perGroup = new HashMap<>();
      picked.forEach(e -> perGroup.merge(PeerBook.networkGroup(e.address), 1, Integer::sum));
      assertThat(picked).hasSize(7);
      assertThat(perGroup)
          .as("every group not yet used gets one slot before any repeats")
          .containsKeys("v4:192.0", "v4:100.20", "v4:8.8", "v4:44.1");
      assertThat(perGroup.get("v4:198.51"))
          .as("the crowded /16 gets only what is left")
          .isEqualTo(3);
      assertThat(perGroup.get("v4:203.0")).as("a group already used outbound comes last").isNull();
    }
  }

  @Test
  void sharedSamplesHoldOnlyGoodEntries() {
    PeerBook book = book(100, 10);
    book.seen(id(1), HostPort.parse("198.51.100.1:1"), BookEntry.Source.INBOUND);
    book.seen(id(2), HostPort.parse("198.51.100.2:1"), BookEntry.Source.INBOUND);
    book.failed(id(2));
    book.seen(id(3), HostPort.parse("198.51.100.3:1"), BookEntry.Source.INBOUND);
    book.banned(id(3), clock.getAsLong() + 60_000);
    book.learned(id(4), HostPort.parse("198.51.100.4:1"));
    book.configured(id(5), HostPort.parse("198.51.100.5:1"));

    assertThat(book.sample(10, e -> true))
        .extracting(e -> e.id)
        .containsExactlyInAnyOrder(id(1), id(5));
    assertThat(book.sample(1, e -> true)).hasSize(1);
    clock.advance(60_001);
    assertThat(book.sample(10, e -> true)).extracting(e -> e.id).contains(id(3));
  }

  @Test
  void feelersPreferUnprovenEntriesThatAreNotConnected() {
    PeerBook book = book(100, 10);
    book.seen(id(1), HostPort.parse("198.51.100.1:1"), BookEntry.Source.INBOUND);
    book.learned(id(2), HostPort.parse("198.51.100.2:1"));
    book.learned(id(3), HostPort.parse("198.51.100.3:1"));
    for (int i = 0; i < 20; i++) {
      assertThat(book.feelerTarget(id(3)::equals).orElseThrow().id).isEqualTo(id(2));
    }
    assertThat(book.feelerTarget(x -> true)).isEmpty();
  }
}
