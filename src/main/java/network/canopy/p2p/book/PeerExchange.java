package network.canopy.p2p.book;

import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.PeerExchangeMessage;
import network.canopy.p2p.wire.WireFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer-exchange protocol on topic 255 (docs/PROTOCOL.md §14, §17): asks peers for addresses,
 * has their requests answered ({@link ExchangeAnswers}: a sample of good book entries under a
 * per-peer rate limit), and validates responses before the book sees them. With a peer that speaks
 * addr/1 only signed records travel, and each side sends its own; with an older peer, plain entries
 * as in version 1. Runs on the book's context.
 */
public final class PeerExchange {

  /** Sends a message to a connected peer, and moves a peer's reputation. Thread-safe. */
  public interface Link {
    void send(String peerId, Buffer payload);

    void report(String peerId, ReputationEvent event, String why);
  }

  /**
   * Checks the signatures of records — up to 64 Ed25519 verifications, tens of milliseconds on a
   * loaded machine, so the node runs them on a worker, never on its event loop — and calls {@code
   * then} back on the book's context with the first record that does not verify, or null.
   */
  interface SignatureCheck {
    void firstForged(List<AddressRecord> records, Consumer<AddressRecord> then);

    /** In place, on the caller's thread (tests). */
    SignatureCheck IN_PLACE = (records, then) -> then.accept(AddressRecords.firstForged(records));
  }

  private static final Logger log = LoggerFactory.getLogger(PeerExchange.class);

  /** How many addresses a request asks for: enough to fill outbound slots in one round trip. */
  static final int WANTED = 32;

  static final long WINDOW_MS = ExchangeAnswers.WINDOW_MS;

  /** A response later than this after its request is unsolicited. */
  static final long RESPONSE_TIMEOUT_MS = 60_000;

  private final PeerBook book;
  private final Link link;
  private final BookMetrics metrics;
  private final LongSupplier clock;
  private final AddressScope selfScope;
  private final Set<String> configBanned;
  private final Function<String, String> sourceGroups;
  private final Map<String, Long> pending = new HashMap<>();
  private final ExchangeAnswers answers;

  /** Connected peers whose connection uses addr/1. */
  private final Set<String> signedPeers = new HashSet<>();

  private final Supplier<Optional<AddressRecord>> ownRecord;
  private final SignatureCheck signatures;

  /**
   * @param sourceGroups the network group a connected peer connects from (its addresses' source
   *     group)
   * @param ownRecord this node's current signed record, if it has one
   */
  PeerExchange(
      PeerBook book,
      Link link,
      BookMetrics metrics,
      LongSupplier clock,
      AddressScope selfScope,
      int requestsPerMinute,
      Set<String> configBanned,
      Function<String, String> sourceGroups,
      Supplier<Optional<AddressRecord>> ownRecord,
      SignatureCheck signatures) {
    this.book = book;
    this.link = link;
    this.metrics = metrics;
    this.clock = clock;
    this.selfScope = selfScope;
    this.answers = new ExchangeAnswers(book, link, metrics, clock, requestsPerMinute, ownRecord);
    this.configBanned = Set.copyOf(configBanned);
    this.sourceGroups = sourceGroups;
    this.ownRecord = ownRecord;
    this.signatures = signatures;
  }

  /** A peer connected; with {@code signed} (addr/1) it gets this node's own record at once. */
  void connected(String peerId, boolean signed) {
    if (signed) {
      signedPeers.add(peerId);
      sendOwnRecord(peerId);
    }
  }

  /**
   * Sends this node's own record to an addr/1 peer, if the node has one (at connect, and when it
   * changed).
   */
  void sendOwnRecord(String peerId) {
    if (signedPeers.contains(peerId)) {
      ownRecord
          .get()
          .ifPresent(
              r -> link.send(peerId, Buffer.buffer(new PeerExchangeMessage.OwnRecord(r).encode())));
    }
  }

  /** The addr/1 peers connected now. */
  Set<String> signedPeers() {
    return Set.copyOf(signedPeers);
  }

  /** Asks {@code peerId} for addresses. */
  void request(String peerId) {
    pending.put(peerId, clock.getAsLong());
    link.send(peerId, Buffer.buffer(new PeerExchangeMessage.Request(WANTED).encode()));
    metrics.exchange("request_sent");
  }

  /**
   * The peer is gone: its rate window and any pending request go too, so memory follows the peer
   * set.
   */
  void forget(String peerId) {
    pending.remove(peerId);
    answers.forget(peerId);
    signedPeers.remove(peerId);
  }

  /**
   * A topic-255 message from {@code peerId}, whose connection comes from an address of {@code
   * peerScope}.
   */
  void received(String peerId, AddressScope peerScope, byte[] payload) {
    PeerExchangeMessage message;
    try {
      message = PeerExchangeMessage.decode(payload);
    } catch (WireFormatException e) {
      metrics.exchange("response_invalid");
      link.report(peerId, ReputationEvent.INVALID_PEX, e.getMessage());
      return;
    }
    boolean signed = signedPeers.contains(peerId);
    switch (message) {
      case PeerExchangeMessage.Request r -> answers.answer(peerId, peerScope, r.wanted(), signed);
      case PeerExchangeMessage.Response r when !signed -> accept(peerId, r.entries());
      case PeerExchangeMessage.SignedResponse r when signed -> acceptSigned(peerId, r.records());
      case PeerExchangeMessage.OwnRecord r when signed -> ownRecord(peerId, r.record());
      default -> {
        metrics.exchange("response_invalid");
        link.report(
            peerId,
            ReputationEvent.INVALID_PEX,
            (signed ? "unsigned addresses on an " : "kind needs ")
                + Capability.ADDR
                + " connection");
      }
    }
  }

  /**
   * Validates a whole response before adding anything: unsolicited or with an undialable address,
   * it is dropped and costs reputation. Entries this node cannot use (itself, banned ids, addresses
   * more local than this node) are skipped without blame: the responder cannot know them.
   */
  private void accept(String peerId, List<PeerExchangeMessage.Entry> entries) {
    if (!solicited(peerId)) {
      return;
    }
    List<Candidate> candidates = new ArrayList<>(entries.size());
    for (PeerExchangeMessage.Entry e : entries) {
      candidates.add(
          new Candidate(HexFormat.of().formatHex(e.id()), address(e.ip()), e.port(), null));
    }
    if (dialable(peerId, candidates)) {
      addAll(peerId, candidates);
    }
  }

  /**
   * A signed response: one record not signed by its own id drops the whole response and costs
   * BAD_ADDRESS_SIGNATURE (a relay checks what it passes on, so a forgery is never an accident);
   * records too old or too far ahead are skipped without blame (clocks differ).
   */
  private void acceptSigned(String peerId, List<AddressRecord> records) {
    if (!solicited(peerId)) {
      return;
    }
    signatures.firstForged(
        records,
        forgery -> {
          if (forgery != null) {
            forged(peerId, forgery);
          } else {
            addVerified(peerId, records);
          }
        });
  }

  private void addVerified(String peerId, List<AddressRecord> records) {
    long nowSeconds = clock.getAsLong() / 1000;
    List<Candidate> candidates = new ArrayList<>(records.size());
    int stale = 0;
    for (AddressRecord r : records) {
      if (AddressRecords.fresh(r, nowSeconds)) {
        candidates.add(
            new Candidate(HexFormat.of().formatHex(r.id()), address(r.ip()), r.port(), r));
      } else {
        stale++;
      }
    }
    if (dialable(peerId, candidates)) {
      metrics.addresses("stale", stale);
      addAll(peerId, candidates);
    }
  }

  /**
   * The peer's own record: it must be the sender's and signed by it; it is kept when it states the
   * address the book has for the peer (the dialled address, or its IP with its advertised port), so
   * a peer's record cannot send the network to an address it does not connect from.
   */
  private void ownRecord(String peerId, AddressRecord record) {
    if (!answers.withinRate(peerId, "address requests and own records")) {
      return;
    }
    if (!HexFormat.of().formatHex(record.id()).equals(peerId)) {
      metrics.exchange("response_invalid");
      link.report(peerId, ReputationEvent.INVALID_PEX, "own record names another id");
      return;
    }
    signatures.firstForged(
        List.of(record),
        forgery -> {
          if (forgery != null) {
            forged(peerId, record);
            return;
          }
          boolean kept =
              AddressRecords.fresh(record, clock.getAsLong() / 1000)
                  && book.get(peerId).map(e -> AddressRecords.keep(e, record)).orElse(false);
          metrics.exchange(kept ? "own_record_kept" : "own_record_unused");
        });
  }

  private void forged(String peerId, AddressRecord record) {
    metrics.exchange("response_forged");
    link.report(
        peerId,
        ReputationEvent.BAD_ADDRESS_SIGNATURE,
        "address record of "
            + PeerId.shortForm(HexFormat.of().formatHex(record.id()))
            + " not signed by that id");
  }

  /**
   * A response answers a request of ours sent within the last minute, once; anything else costs
   * reputation.
   */
  private boolean solicited(String peerId) {
    Long sentAt = pending.remove(peerId);
    if (sentAt == null || clock.getAsLong() - sentAt > RESPONSE_TIMEOUT_MS) {
      metrics.exchange("response_unsolicited");
      link.report(peerId, ReputationEvent.PEX_RATE_EXCEEDED, "unsolicited address response");
      return false;
    }
    return true;
  }

  /**
   * An undialable address drops the whole response with blame; else the response earns a little.
   */
  private boolean dialable(String peerId, List<Candidate> candidates) {
    for (Candidate c : candidates) {
      if (AddressScope.of(c.ip()) == AddressScope.INVALID) {
        metrics.exchange("response_invalid");
        link.report(
            peerId, ReputationEvent.INVALID_PEX, "undialable address " + c.ip().getHostAddress());
        return false;
      }
    }
    metrics.exchange("response_accepted");
    link.report(peerId, ReputationEvent.VALID_PEX, "valid address response");
    return true;
  }

  /** An address heard of, with its node's signed record when it came as one. */
  private record Candidate(String id, InetAddress ip, int port, AddressRecord record) {}

  private void addAll(String peerId, List<Candidate> candidates) {
    int added = 0;
    int known = 0;
    int skipped = 0;
    int refused = 0;
    long now = clock.getAsLong();
    String sourceGroup = sourceGroups.apply(peerId);
    for (Candidate c : candidates) {
      boolean banned =
          configBanned.contains(c.id()) || book.get(c.id()).map(e -> e.banned(now)).orElse(false);
      if (banned || book.isSelf(c.id()) || !AddressScope.of(c.ip()).reachableFrom(selfScope)) {
        skipped++;
        continue;
      }
      switch (book.learned(c.id(), new HostPort(c.ip().getHostAddress(), c.port()), sourceGroup)) {
        case ADDED -> added++;
        case KNOWN -> known++;
        case REFUSED -> refused++;
      }
      if (c.record() != null) {
        book.get(c.id()).ifPresent(e -> AddressRecords.keep(e, c.record()));
      }
    }
    metrics.addresses("added", added);
    metrics.addresses("known", known);
    metrics.addresses("skipped", skipped);
    metrics.addresses("refused", refused);
    log.debug(
        "peer {}: {} addresses, {} new, {} known, {} skipped, {} refused",
        PeerId.shortForm(peerId),
        candidates.size(),
        added,
        known,
        skipped,
        refused);
  }

  private static InetAddress address(byte[] ip) {
    try {
      return InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }
}
