package network.canopy.p2p.book;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.PeerExchangeMessage;

/**
 * The answering half of peer exchange (docs/PROTOCOL.md §14, §17.3): a per-peer rate window over
 * requests and own records, and the answer itself — signed records for an addr/1 peer (this node's
 * own first), plain entries for an older one — drawn from the book's good entries under the scope
 * rule. Runs on the book's context, for {@link PeerExchange}.
 */
final class ExchangeAnswers {

  static final long WINDOW_MS = 60_000;

  private final PeerBook book;
  private final PeerExchange.Link link;
  private final BookMetrics metrics;
  private final LongSupplier clock;
  private final int perWindow;
  private final Supplier<Optional<AddressRecord>> ownRecord;
  private final Map<String, ArrayDeque<Long>> windows = new HashMap<>();

  ExchangeAnswers(
      PeerBook book,
      PeerExchange.Link link,
      BookMetrics metrics,
      LongSupplier clock,
      int perWindow,
      Supplier<Optional<AddressRecord>> ownRecord) {
    this.book = book;
    this.link = link;
    this.metrics = metrics;
    this.clock = clock;
    this.perWindow = perWindow;
    this.ownRecord = ownRecord;
  }

  /**
   * Answers within the rate limit; a first request is never refused, the limit is over a window.
   */
  void answer(String peerId, AddressScope peerScope, int wanted, boolean signed) {
    if (!withinRate(peerId, "address requests")) {
      return;
    }
    PeerExchangeMessage answer =
        signed ? signed(peerId, peerScope, wanted) : plain(peerId, peerScope, wanted);
    link.send(peerId, Buffer.buffer(answer.encode()));
    metrics.exchange("request_answered");
  }

  private PeerExchangeMessage.Response plain(String peerId, AddressScope peerScope, int wanted) {
    List<PeerExchangeMessage.Entry> entries = new ArrayList<>();
    for (BookEntry e :
        book.sample(wanted, e -> !e.id.equals(peerId) && shareable(e.address, peerScope))) {
      entries.add(
          new PeerExchangeMessage.Entry(
              HexFormat.of().parseHex(e.id),
              e.address.ipLiteral().orElseThrow().getAddress(),
              e.address.port()));
    }
    return new PeerExchangeMessage.Response(entries);
  }

  /**
   * Signed records only: this node's own first, then good entries whose own record (unchanged, as
   * their nodes signed them) still states their address and is fresh.
   */
  private PeerExchangeMessage.SignedResponse signed(
      String peerId, AddressScope peerScope, int wanted) {
    long nowSeconds = clock.getAsLong() / 1000;
    List<AddressRecord> records = new ArrayList<>();
    ownRecord
        .get()
        .filter(r -> shareable(AddressRecords.address(r), peerScope))
        .ifPresent(records::add);
    for (BookEntry e :
        book.sample(
            wanted - records.size(),
            e ->
                !e.id.equals(peerId)
                    && e.currentRecord() != null
                    && AddressRecords.fresh(e.record, nowSeconds)
                    && shareable(e.address, peerScope))) {
      records.add(e.record);
    }
    return new PeerExchangeMessage.SignedResponse(records);
  }

  /**
   * Counts one request-like message of {@code peerId}; false (and blame) past the per-minute limit.
   */
  boolean withinRate(String peerId, String what) {
    long now = clock.getAsLong();
    ArrayDeque<Long> times = windows.computeIfAbsent(peerId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) {
      times.pollFirst();
    }
    if (times.size() >= perWindow) {
      metrics.exchange("request_refused");
      link.report(
          peerId,
          ReputationEvent.PEX_RATE_EXCEEDED,
          "more than " + perWindow + " " + what + " in " + WINDOW_MS / 1000 + " s");
      return false;
    }
    times.addLast(now);
    return true;
  }

  /** The peer is gone: its window goes too. */
  void forget(String peerId) {
    windows.remove(peerId);
  }

  /** Only IP literals travel, and only to nodes at least as local as the address (no LAN leaks). */
  private static boolean shareable(HostPort address, AddressScope peerScope) {
    return address.port() > 0
        && AddressScope.of(address).map(s -> s.reachableFrom(peerScope)).orElse(false);
  }
}
