package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.testkit.ManualClock;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.PeerExchangeMessage;
import org.junit.jupiter.api.Test;

/**
 * Peer exchange with signed address records (addr/1, docs/PROTOCOL.md §17) between real {@link
 * PeerExchange}s wired to each other: forgeries are refused and cost the sender, records travel
 * unchanged, and an older peer's plain exchange still works.
 */
class SignedExchangeTest {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final byte[] DOC_IP = {(byte) 203, 0, 113, 1};
  private final ManualClock clock = new ManualClock(1_700_000_000_000L);

  /** Node id → its exchange, so one node's sends reach the other's receive. */
  private final Map<String, Node> nodes = new HashMap<>();

  /**
   * Messages in flight (from, to, bytes), delivered by {@link #flush()} as a network would, later.
   */
  private final java.util.ArrayDeque<Object[]> inFlight = new java.util.ArrayDeque<>();

  private void flush() {
    for (Object[] m = inFlight.poll(); m != null; m = inFlight.poll()) {
      Node to = nodes.get((String) m[1]);
      if (to != null) {
        to.exchange.received((String) m[0], AddressScope.PUBLIC, (byte[]) m[2]);
      }
    }
  }

  /** One node: identity, book, exchange, and what its peers reported about whom. */
  private final class Node implements PeerExchange.Link {
    final NodeIdentity identity = NodeIdentity.generate(RANDOM);
    final String id = identity.id();
    final PeerBook book =
        new PeerBook(id, 1000, 10, clock, reason -> {}, new byte[AddressTables.KEY_BYTES]);
    final SelfRecord self = new SelfRecord(identity);
    final PeerExchange exchange =
        new PeerExchange(
            book,
            this,
            new BookMetrics(new SimpleMeterRegistry(), "t", book::size),
            clock,
            AddressScope.PUBLIC,
            10,
            Set.of(),
            peer -> "v4:" + peer.substring(0, 4),
            self::current,
            PeerExchange.SignatureCheck.IN_PLACE);
    final List<ReputationEvent> blamed = new ArrayList<>();
    final List<byte[]> sent = new ArrayList<>();

    Node(String address) {
      self.advertise(HostPort.parse(address), clock.getAsLong() / 1000);
      nodes.put(id, this);
    }

    @Override
    public void send(String peerId, Buffer payload) {
      sent.add(payload.getBytes());
      inFlight.add(new Object[] {id, peerId, payload.getBytes()});
    }

    @Override
    public void report(String peerId, ReputationEvent event, String why) {
      blamed.add(event);
    }

    /**
     * This node dialled {@code other} at its advertised address; both use addr/1 when both say so.
     */
    void dials(Node other, boolean signed) {
      book.seen(other.id, other.self.advertised(), BookEntry.Source.DIAL);
      other.book.seen(id, self.advertised(), BookEntry.Source.INBOUND);
      exchange.connected(other.id, signed);
      other.exchange.connected(id, signed);
      flush();
    }

    /** Pretends {@code from} sent this node {@code message}. */
    void hears(Node from, PeerExchangeMessage message) {
      exchange.received(from.id, AddressScope.PUBLIC, message.encode());
    }
  }

  @Test
  void aRecordForAnotherIdIsRefusedWholeAndCostsTheSender() {
    Node victim = new Node("198.51.100.1:9001");
    Node liar = new Node("198.51.100.2:9001");
    Node honest = new Node("198.51.100.3:9001");
    victim.dials(liar, true);
    NodeIdentity stranger = NodeIdentity.generate(RANDOM);
    AddressRecord byLiar =
        AddressRecord.sign(liar.identity, DOC_IP, 9001, clock.getAsLong() / 1000);
    AddressRecord forged =
        new AddressRecord(
            stranger.publicKey(), DOC_IP, 9001, byLiar.timestamp(), byLiar.signature());
    AddressRecord genuine = honest.self.current().orElseThrow();

    victim.exchange.request(liar.id);
    victim.hears(liar, new PeerExchangeMessage.SignedResponse(List.of(genuine, forged)));

    assertThat(victim.book.get(stranger.id())).as("the id of X signed by Y").isEmpty();
    assertThat(victim.book.get(honest.id)).as("a forgery drops the whole response").isEmpty();
    assertThat(victim.blamed).containsExactly(ReputationEvent.BAD_ADDRESS_SIGNATURE);
    assertThat(ReputationEvent.BAD_ADDRESS_SIGNATURE.points()).isNegative();

    victim.hears(
        liar,
        new PeerExchangeMessage.OwnRecord(
            new AddressRecord(
                liar.identity.publicKey(),
                DOC_IP,
                9001,
                byLiar.timestamp(),
                AddressRecord.sign(stranger, DOC_IP, 9001, 1).signature())));
    victim.hears(liar, new PeerExchangeMessage.OwnRecord(genuine));
    assertThat(victim.blamed)
        .as("its own record signed by another key; then someone else's record as its own")
        .containsExactly(
            ReputationEvent.BAD_ADDRESS_SIGNATURE,
            ReputationEvent.BAD_ADDRESS_SIGNATURE,
            ReputationEvent.INVALID_PEX);
  }

  @Test
  void recordsPassThroughAChainOfThreeUnchangedAndVerify() throws Exception {
    Node a = new Node("198.51.100.1:9001");
    Node b = new Node("198.51.100.2:9001");
    Node c = new Node("198.51.100.3:9001");
    b.dials(a, true); // a sends b its own record at once
    assertThat(b.book.get(a.id).orElseThrow().record).isEqualTo(a.self.current().orElseThrow());

    c.dials(b, true);
    c.exchange.request(b.id);
    flush();

    AddressRecord atC = c.book.get(a.id).orElseThrow().record;
    assertThat(atC.encode())
        .as("a's record at c, two hops away, byte for byte")
        .isEqualTo(a.self.current().orElseThrow().encode());
    assertThat(atC.verifies()).isTrue();
    assertThat(c.book.get(b.id).orElseThrow().record).isEqualTo(b.self.current().orElseThrow());
    assertThat(c.book.get(a.id).orElseThrow().address)
        .isEqualTo(HostPort.parse("198.51.100.1:9001"));
    assertThat(a.blamed).isEmpty();
    assertThat(b.blamed).isEmpty();
    assertThat(c.blamed).containsExactly(ReputationEvent.VALID_PEX);
  }

  @Test
  void recordsTooOldOrTooFarAheadAreSkippedWithoutBlame() {
    Node victim = new Node("198.51.100.1:9001");
    Node peer = new Node("198.51.100.2:9001");
    victim.dials(peer, true);
    long now = clock.getAsLong() / 1000;
    NodeIdentity old = NodeIdentity.generate(RANDOM);
    NodeIdentity ahead = NodeIdentity.generate(RANDOM);
    NodeIdentity fine = NodeIdentity.generate(RANDOM);
    victim.exchange.request(peer.id);
    victim.hears(
        peer,
        new PeerExchangeMessage.SignedResponse(
            List.of(
                AddressRecord.sign(old, DOC_IP, 1, now - AddressRecords.MAX_AGE_SECONDS - 1),
                AddressRecord.sign(ahead, DOC_IP, 2, now + AddressRecords.MAX_FUTURE_SECONDS + 1),
                AddressRecord.sign(fine, DOC_IP, 3, now + AddressRecords.MAX_FUTURE_SECONDS))));
    assertThat(victim.book.get(old.id())).isEmpty();
    assertThat(victim.book.get(ahead.id())).isEmpty();
    assertThat(victim.book.get(fine.id())).isPresent();
    assertThat(victim.blamed).containsExactly(ReputationEvent.VALID_PEX);
  }

  @Test
  void anOlderPeerExchangesPlainEntriesThatNeverTravelAsSigned() throws Exception {
    Node fresh = new Node("198.51.100.1:9001");
    Node old = new Node("198.51.100.2:9001");
    Node third = new Node("198.51.100.3:9001");
    fresh.dials(old, false);
    assertThat(old.sent).as("no own record to a peer without addr/1").isEmpty();
    old.exchange.request(fresh.id);
    flush();
    assertThat(PeerExchangeMessage.decode(fresh.sent.get(0)))
        .as("an older peer is answered in version-1 form")
        .isInstanceOf(PeerExchangeMessage.Response.class);

    fresh.exchange.request(old.id);
    fresh.hears(
        old,
        new PeerExchangeMessage.Response(
            List.of(
                new PeerExchangeMessage.Entry(
                    java.util.HexFormat.of().parseHex(third.id),
                    new byte[] {(byte) 198, 51, 100, 3},
                    9001))));
    BookEntry unproven = fresh.book.get(third.id).orElseThrow();
    assertThat(unproven.verified()).as("accepted as an unproven new entry").isFalse();
    assertThat(unproven.record).isNull();

    Node asker = new Node("198.51.100.4:9001");
    fresh.book.seen(
        third.id, unproven.address, BookEntry.Source.DIAL); // proven by a dial, still no record
    asker.dials(fresh, true);
    asker.exchange.request(fresh.id);
    flush();
    assertThat(asker.book.get(third.id))
        .as("an entry without its own signed record is never passed on to addr/1 peers")
        .isEmpty();

    fresh.hears(old, new PeerExchangeMessage.SignedResponse(List.of()));
    asker.hears(fresh, new PeerExchangeMessage.Response(List.of()));
    assertThat(fresh.blamed)
        .as("a signed response without addr/1")
        .contains(ReputationEvent.INVALID_PEX);
    assertThat(asker.blamed)
        .as("an unsigned response on an addr/1 connection")
        .contains(ReputationEvent.INVALID_PEX);
  }

  @Test
  void aNodeWithoutADialableAddressHasNoRecordAndAnAdoptedOneIsSigned() {
    NodeIdentity me = NodeIdentity.generate(RANDOM);
    SelfRecord self = new SelfRecord(me);
    assertThat(self.advertise(HostPort.parse("0.0.0.0:9001"), 100)).isFalse();
    assertThat(self.current()).as("a wildcard is no address to sign").isEmpty();
    assertThat(self.advertise(HostPort.parse("203.0.113.9:9001"), 200)).isTrue();
    AddressRecord record = self.current().orElseThrow();
    assertThat(record.verifies()).isTrue();
    assertThat(AddressRecords.address(record)).isEqualTo(HostPort.parse("203.0.113.9:9001"));
    assertThat(self.refresh(200 + AddressRecords.REFRESH_SECONDS - 1)).isFalse();
    assertThat(self.refresh(200 + AddressRecords.REFRESH_SECONDS)).as("re-signed daily").isTrue();
    assertThat(self.current().orElseThrow().timestamp())
        .isEqualTo(200 + AddressRecords.REFRESH_SECONDS);
    assertThat(Optional.of(record)).isNotEqualTo(self.current());
  }
}
