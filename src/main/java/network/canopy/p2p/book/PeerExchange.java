package network.canopy.p2p.book;

import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.wire.PeerExchangeMessage;
import network.canopy.p2p.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.crypto.PeerId;

/**
 * The peer-exchange protocol on topic 255 (docs/PROTOCOL.md, "Peer exchange"): asks peers for
 * addresses, answers their requests with a sample of good book entries under a per-peer rate limit,
 * and validates responses before the book sees them. Runs on the book's context.
 */
public final class PeerExchange {

  /** Sends a message to a connected peer, and moves a peer's reputation. Thread-safe. */
  public interface Link {
    void send(String peerId, Buffer payload);

    void report(String peerId, ReputationEvent event, String why);
  }

  private static final Logger log = LoggerFactory.getLogger(PeerExchange.class);
  /** How many addresses a request asks for: enough to fill outbound slots in one round trip. */
  static final int WANTED = 32;
  static final long WINDOW_MS = 60_000;
  /** A response later than this after its request is unsolicited. */
  static final long RESPONSE_TIMEOUT_MS = 60_000;

  private final PeerBook book;
  private final Link link;
  private final BookMetrics metrics;
  private final LongSupplier clock;
  private final AddressScope selfScope;
  private final int requestsPerWindow;
  private final Set<String> configBanned;
  private final Function<String, String> sourceGroups;
  private final Map<String, Long> pending = new HashMap<>();
  private final Map<String, ArrayDeque<Long>> requests = new HashMap<>();

  /** @param sourceGroups the network group a connected peer connects from (its addresses' source group) */
  PeerExchange(PeerBook book, Link link, BookMetrics metrics, LongSupplier clock, AddressScope selfScope,
      int requestsPerMinute, Set<String> configBanned, Function<String, String> sourceGroups) {
    this.book = book;
    this.link = link;
    this.metrics = metrics;
    this.clock = clock;
    this.selfScope = selfScope;
    this.requestsPerWindow = requestsPerMinute;
    this.configBanned = Set.copyOf(configBanned);
    this.sourceGroups = sourceGroups;
  }

  /** Asks {@code peerId} for addresses. */
  void request(String peerId) {
    pending.put(peerId, clock.getAsLong());
    link.send(peerId, Buffer.buffer(new PeerExchangeMessage.Request(WANTED).encode()));
    metrics.exchange("request_sent");
  }

  /** The peer is gone: its rate window and any pending request go too, so memory follows the peer set. */
  void forget(String peerId) {
    pending.remove(peerId);
    requests.remove(peerId);
  }

  /** A topic-255 message from {@code peerId}, whose connection comes from an address of {@code peerScope}. */
  void received(String peerId, AddressScope peerScope, byte[] payload) {
    PeerExchangeMessage message;
    try {
      message = PeerExchangeMessage.decode(payload);
    } catch (WireFormatException e) {
      metrics.exchange("response_invalid");
      link.report(peerId, ReputationEvent.INVALID_PEX, e.getMessage());
      return;
    }
    switch (message) {
      case PeerExchangeMessage.Request r -> answer(peerId, peerScope, r.wanted());
      case PeerExchangeMessage.Response r -> accept(peerId, r.entries());
    }
  }

  /** Answers within the rate limit; a first request is never refused, the limit is over a window. */
  private void answer(String peerId, AddressScope peerScope, int wanted) {
    long now = clock.getAsLong();
    ArrayDeque<Long> times = requests.computeIfAbsent(peerId, id -> new ArrayDeque<>());
    while (!times.isEmpty() && times.peekFirst() <= now - WINDOW_MS) {
      times.pollFirst();
    }
    if (times.size() >= requestsPerWindow) {
      metrics.exchange("request_refused");
      link.report(peerId, ReputationEvent.PEX_RATE_EXCEEDED,
          "more than " + requestsPerWindow + " address requests in " + WINDOW_MS / 1000 + " s");
      return;
    }
    times.addLast(now);
    List<PeerExchangeMessage.Entry> entries = new ArrayList<>();
    for (BookEntry e : book.sample(wanted, e -> !e.id.equals(peerId) && shareable(e.address, peerScope))) {
      entries.add(new PeerExchangeMessage.Entry(HexFormat.of().parseHex(e.id),
          e.address.ipLiteral().orElseThrow().getAddress(), e.address.port()));
    }
    link.send(peerId, Buffer.buffer(new PeerExchangeMessage.Response(entries).encode()));
    metrics.exchange("request_answered");
  }

  /** Only IP literals travel, and only to nodes at least as local as the address (no LAN leaks). */
  private static boolean shareable(HostPort address, AddressScope peerScope) {
    return address.port() > 0
        && AddressScope.of(address).map(s -> s.reachableFrom(peerScope)).orElse(false);
  }

  /**
   * Validates a whole response before adding anything: unsolicited or with an undialable address, it
   * is dropped and costs reputation. Entries this node cannot use (itself, banned ids, addresses
   * more local than this node) are skipped without blame: the responder cannot know them.
   */
  private void accept(String peerId, List<PeerExchangeMessage.Entry> entries) {
    Long sentAt = pending.remove(peerId);
    if (sentAt == null || clock.getAsLong() - sentAt > RESPONSE_TIMEOUT_MS) {
      metrics.exchange("response_unsolicited");
      link.report(peerId, ReputationEvent.PEX_RATE_EXCEEDED, "unsolicited address response");
      return;
    }
    List<Candidate> candidates = new ArrayList<>(entries.size());
    for (PeerExchangeMessage.Entry e : entries) {
      InetAddress ip = address(e.ip());
      if (AddressScope.of(ip) == AddressScope.INVALID) {
        metrics.exchange("response_invalid");
        link.report(peerId, ReputationEvent.INVALID_PEX, "undialable address " + ip.getHostAddress());
        return;
      }
      candidates.add(new Candidate(HexFormat.of().formatHex(e.id()), ip, e.port()));
    }
    metrics.exchange("response_accepted");
    link.report(peerId, ReputationEvent.VALID_PEX, "valid address response");
    addAll(peerId, candidates);
  }

  private record Candidate(String id, InetAddress ip, int port) {
  }

  private void addAll(String peerId, List<Candidate> candidates) {
    int added = 0;
    int known = 0;
    int skipped = 0;
    int refused = 0;
    long now = clock.getAsLong();
    String sourceGroup = sourceGroups.apply(peerId);
    for (Candidate c : candidates) {
      boolean banned = configBanned.contains(c.id()) || book.get(c.id()).map(e -> e.banned(now)).orElse(false);
      if (banned || book.isSelf(c.id()) || !AddressScope.of(c.ip()).reachableFrom(selfScope)) {
        skipped++;
        continue;
      }
      switch (book.learned(c.id(), new HostPort(c.ip().getHostAddress(), c.port()), sourceGroup)) {
        case ADDED -> added++;
        case KNOWN -> known++;
        case REFUSED -> refused++;
      }
    }
    metrics.addresses("added", added);
    metrics.addresses("known", known);
    metrics.addresses("skipped", skipped);
    metrics.addresses("refused", refused);
    log.debug("peer {}: {} addresses, {} new, {} known, {} skipped, {} refused", PeerId.shortForm(peerId),
        candidates.size(), added, known, skipped, refused);
  }

  private static InetAddress address(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }
}
