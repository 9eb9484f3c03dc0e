package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.testkit.ManualClock;
import network.canopy.p2p.wire.PeerExchangeMessage;
import org.junit.jupiter.api.Test;

class PeerExchangeTest {

  private static final String PEER = id(500);
  private final ManualClock clock = new ManualClock(1_000_000);
  private final PeerBook book =
      new PeerBook(id(0), 1000, 10, clock, reason -> {}, new byte[AddressTables.KEY_BYTES]);
  private final List<Object[]> sent = new ArrayList<>();
  private final List<ReputationEvent> reports = new ArrayList<>();
  private final PeerExchange.Link link =
      new PeerExchange.Link() {
        @Override
        public void send(String peerId, Buffer payload) {
          sent.add(new Object[] {peerId, payload.getBytes()});
        }

        @Override
        public void report(String peerId, ReputationEvent event, String why) {
          reports.add(event);
        }
      };

  private static String id(int n) {
    return String.format("%064x", n);
  }

  private PeerExchange exchange(AddressScope self, int perMinute) {
    return new PeerExchange(
        book,
        link,
        new BookMetrics(new SimpleMeterRegistry(), "test", book::size),
        clock,
        self,
        perMinute,
        Set.of(id(666)),
        peer -> "v4:203.0",
        java.util.Optional::empty,
        PeerExchange.SignatureCheck.IN_PLACE);
  }

  private static PeerExchangeMessage.Entry entry(int n, String ip, int port) throws Exception {
    return new PeerExchangeMessage.Entry(
        HexFormat.of().parseHex(id(n)), java.net.InetAddress.getByName(ip).getAddress(), port);
  }

  private static byte[] response(PeerExchangeMessage.Entry... entries) {
    return new PeerExchangeMessage.Response(List.of(entries)).encode();
  }

  private PeerExchangeMessage.Response lastResponse() throws Exception {
    byte[] bytes = (byte[]) sent.get(sent.size() - 1)[1];
    return (PeerExchangeMessage.Response) PeerExchangeMessage.decode(bytes);
  }

  @Test
  void requestsAreAnsweredWithinTheRateAndTheFirstIsNeverPunished() throws Exception {
    for (int i = 1; i <= 40; i++) {
      // 40 network groups: one group's inbound peers reach only a few of the book's buckets.
      book.seen(id(i), HostPort.parse((20 + i) + ".51.100.1:9001"), BookEntry.Source.INBOUND);
    }
    PeerExchange pex = exchange(AddressScope.PUBLIC, 3);
    byte[] request = new PeerExchangeMessage.Request(32).encode();

    pex.received(PEER, AddressScope.PUBLIC, request);
    assertThat(reports).as("a first request, however early, costs nothing").isEmpty();
    assertThat(lastResponse().entries()).as("a useful sample, not one address").hasSize(32);

    pex.received(PEER, AddressScope.PUBLIC, request);
    pex.received(PEER, AddressScope.PUBLIC, request);
    assertThat(sent).hasSize(3);
    assertThat(reports).isEmpty();

    pex.received(PEER, AddressScope.PUBLIC, request);
    assertThat(sent).as("the fourth in a minute is not answered").hasSize(3);
    assertThat(reports).containsExactly(ReputationEvent.PEX_RATE_EXCEEDED);

    pex.received(id(501), AddressScope.PUBLIC, request);
    assertThat(sent).as("the limit is per requester").hasSize(4);

    clock.advance(PeerExchange.WINDOW_MS);
    pex.received(PEER, AddressScope.PUBLIC, request);
    assertThat(sent).as("the window moved on").hasSize(5);
  }

  @Test
  void answersNeverCarryTheRequesterFailingBannedOrTooLocalEntries() throws Exception {
    book.seen(PEER, HostPort.parse("198.51.100.1:9001"), BookEntry.Source.INBOUND);
    book.seen(id(2), HostPort.parse("198.51.100.2:9001"), BookEntry.Source.INBOUND);
    book.seen(id(3), HostPort.parse("198.51.100.3:9001"), BookEntry.Source.INBOUND);
    book.failed(id(3));
    book.seen(id(4), HostPort.parse("198.51.100.4:9001"), BookEntry.Source.INBOUND);
    book.banned(id(4), clock.getAsLong() + 1000);
    book.seen(id(5), HostPort.parse("10.1.2.3:9001"), BookEntry.Source.INBOUND);
    book.seen(id(6), HostPort.parse("127.0.0.1:9001"), BookEntry.Source.INBOUND);
    PeerExchange pex = exchange(AddressScope.LOOPBACK, 10);
    byte[] request = new PeerExchangeMessage.Request(64).encode();

    pex.received(PEER, AddressScope.PUBLIC, request);
    assertThat(ids(lastResponse())).containsExactly(id(2));
    pex.received(PEER, AddressScope.PRIVATE, request);
    assertThat(ids(lastResponse())).containsExactlyInAnyOrder(id(2), id(5));
    pex.received(PEER, AddressScope.LOOPBACK, request);
    assertThat(ids(lastResponse())).containsExactlyInAnyOrder(id(2), id(5), id(6));
  }

  private static List<String> ids(PeerExchangeMessage.Response r) {
    return r.entries().stream().map(e -> HexFormat.of().formatHex(e.id())).toList();
  }

  @Test
  void aValidResponseToOurRequestAddsOnlyWhatThisNodeCanUse() throws Exception {
    PeerExchange pex = exchange(AddressScope.PUBLIC, 10);
    pex.request(PEER);
    pex.received(
        PEER,
        AddressScope.PUBLIC,
        response(
            entry(1, "203.0.113.1", 9001),
            entry(0, "203.0.113.2", 9001), // this node itself
            entry(666, "203.0.113.3", 9001), // banned by config
            entry(7, "10.0.0.7", 9001), // private, and this node is public
            entry(8, "127.0.0.1", 9001))); // loopback
    assertThat(book.entries()).extracting(e -> e.id).containsExactly(id(1));
    assertThat(book.get(id(1)).orElseThrow().source).isEqualTo(BookEntry.Source.EXCHANGE);
    assertThat(reports)
        .as("the responder could not know what this node skips")
        .containsExactly(ReputationEvent.VALID_PEX);
  }

  @Test
  void aLoopbackNodeTakesLoopbackAddresses() throws Exception {
    PeerExchange pex = exchange(AddressScope.LOOPBACK, 10);
    pex.request(PEER);
    pex.received(
        PEER,
        AddressScope.LOOPBACK,
        response(entry(8, "127.0.0.1", 9001), entry(7, "10.0.0.7", 9001)));
    assertThat(book.entries()).extracting(e -> e.id).containsExactlyInAnyOrder(id(7), id(8));
  }

  @Test
  void badOrUnsolicitedResponsesAreDroppedWholeAndCostReputation() throws Exception {
    PeerExchange pex = exchange(AddressScope.PUBLIC, 10);

    pex.received(PEER, AddressScope.PUBLIC, response(entry(1, "203.0.113.1", 9001)));
    assertThat(reports).containsExactly(ReputationEvent.PEX_RATE_EXCEEDED);

    pex.request(PEER);
    pex.received(
        PEER,
        AddressScope.PUBLIC,
        response(entry(1, "203.0.113.1", 9001), entry(2, "0.0.0.0", 9001)));
    pex.request(PEER);
    pex.received(PEER, AddressScope.PUBLIC, response(entry(3, "224.0.0.1", 9001)));
    pex.request(PEER);
    byte[] oversized = new byte[PeerExchangeMessage.MAX_ENCODED_LENGTH + 1];
    oversized[0] = PeerExchangeMessage.KIND_RESPONSE;
    pex.received(PEER, AddressScope.PUBLIC, oversized);
    pex.received(
        PEER, AddressScope.PUBLIC, Arrays.copyOf(response(entry(4, "203.0.113.4", 1)), 20));

    assertThat(book.size())
        .as("nothing from a bad response is kept, not even its good entries")
        .isZero();
    assertThat(reports)
        .containsExactly(
            ReputationEvent.PEX_RATE_EXCEEDED,
            ReputationEvent.INVALID_PEX,
            ReputationEvent.INVALID_PEX,
            ReputationEvent.INVALID_PEX,
            ReputationEvent.INVALID_PEX);

    clock.advance(PeerExchange.RESPONSE_TIMEOUT_MS + 1);
    pex.received(PEER, AddressScope.PUBLIC, response(entry(5, "203.0.113.5", 9001)));
    assertThat(book.size()).as("a response long after its request is unsolicited").isZero();
  }
}
