package network.canopy.p2p.book;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.DiscoveryConfig;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.wire.AddressRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only owner of the peer book: loads it at start and saves it (debounced after changes,
 * periodically, and at stop), runs peer exchange and feeler dials, and hands out dial candidates.
 * It also keeps this node's own signed address record and, without {@code p2p.external}, adopts the
 * address its peers observe. Its public methods are thread-safe: each runs on this verticle's
 * context.
 */
public final class PeerBookVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(PeerBookVerticle.class);

  /** A change is saved this long after it happened, so a burst of changes costs one write. */
  static final long SAVE_DEBOUNCE_MS = 1_000;

  /** Saved at least this often while anything changed (last-seen times move all the time). */
  static final long SAVE_EVERY_MS = 60_000;

  /** How often the own record is checked for its daily re-signing. */
  static final long RECORD_CHECK_MS = 3_600_000;

  private final NodeConfig config;
  private final NodeIdentity identity;
  private final String selfId;
  private final Consumer<HostPort> advertisedChanged;
  private final MeterRegistry registry;
  private final Addresses addresses;
  private final DiscoveryConfig discovery;

  /** Connected peers and the scope of the address each connects from. */
  private final Map<String, AddressScope> connected = new HashMap<>();

  /**
   * Connected peers and the network group each connects from: the source group of what it tells us.
   */
  private final Map<String, String> sourceGroups = new HashMap<>();

  private PeerExchange.Link link;
  private PeerBook book;
  private PeerExchange exchange;
  private BookMetrics metrics;
  private BookSaver saver;
  private MessageConsumer<Object> listConsumer;
  private long exchangeTimer = -1;
  private long feelerTimer = -1;
  private long recordTimer = -1;
  private SelfRecord selfRecord;
  private ObservedAddresses observed;

  /** The port this node listens on, once bound: an adopted external address takes it. */
  private int listenPort;

  private boolean feelerInFlight;
  private AnchorStore anchorStore;

  /** Read at start, handed out once to the outbound filler. */
  private List<PeerAddress> anchors = List.of();

  /** Set by the PeerSet as the node stops; written at stop. */
  private List<PeerAddress> anchorsAtShutdown;

  /**
   * @param advertisedChanged told (on this verticle's context) each address the node advertises
   *     from then on
   */
  public PeerBookVerticle(
      NodeConfig config,
      NodeIdentity identity,
      MeterRegistry registry,
      Consumer<HostPort> advertisedChanged) {
    this.config = config;
    this.identity = identity;
    this.selfId = identity.id();
    this.advertisedChanged = advertisedChanged;
    this.registry = registry;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.discovery = config.p2p().discovery();
  }

  /** Set once, before deployment: how the book reaches connected peers (the PeerSet). */
  public void link(PeerExchange.Link link) {
    this.link = link;
  }

  @Override
  public Future<?> start() {
    metrics = new BookMetrics(registry, PeerId.shortForm(selfId), () -> book.size());
    book =
        new PeerBook(
            selfId,
            discovery.bookCapacity(),
            discovery.maxDialFailures(),
            System::currentTimeMillis,
            metrics::evicted);
    selfRecord = new SelfRecord(identity);
    observed = new ObservedAddresses(discovery.observedAddressQuorum());
    exchange =
        new PeerExchange(
            book,
            link,
            metrics,
            System::currentTimeMillis,
            selfScope(config),
            discovery.peerExchangeRequestsPerMinute(),
            Set.copyOf(config.p2p().bannedPeers()),
            id -> sourceGroups.getOrDefault(id, "peer:" + id),
            selfRecord::current,
            this::checkOffLoop);
    saver =
        new BookSaver(
            vertx, new PeerBookStore(Path.of(config.dataDir().toString())), book, metrics);
    listConsumer = vertx.eventBus().localConsumer(addresses.book(), msg -> msg.reply(list()));
    anchorStore = new AnchorStore(Path.of(config.dataDir().toString()));
    return saver
        .load()
        .compose(v -> vertx.executeBlocking(anchorStore::take))
        .map(
            taken -> {
              anchors = taken;
              return null;
            })
        .compose(v -> listConsumer.completion())
        .onSuccess(
            v -> {
              config.p2p().dial().forEach(p -> book.configured(p.id(), p.address()));
              if (discovery.enabled()) {
                scheduleExchange();
                feelerTimer = vertx.setPeriodic(discovery.feelerIntervalMs(), id -> feel());
              }
              saver.start(SAVE_DEBOUNCE_MS, SAVE_EVERY_MS);
              recordTimer =
                  vertx.setPeriodic(
                      RECORD_CHECK_MS,
                      id -> {
                        if (selfRecord.refresh(nowSeconds())) {
                          exchange.signedPeers().forEach(exchange::sendOwnRecord);
                        }
                      });
            });
  }

  /**
   * Thread-safe: the listener is bound; the node advertises {@code advertised} ({@code
   * p2p.external}, else the bound address) and signs its record for it.
   */
  public void listening(HostPort advertised, int port) {
    context.runOnContext(
        v -> {
          listenPort = port;
          advertise(advertised);
        });
  }

  /**
   * Thread-safe: a connected peer sees this node at {@code ip} (OBSERVED_ADDRESS). Without {@code
   * p2p.external}, an IP enough peers of distinct groups agree on is adopted with the listening
   * port: the port a peer observes on a connection this node dialled is an ephemeral source port,
   * never one to dial.
   */
  public void observedBy(String peerId, InetAddress ip) {
    context.runOnContext(
        v -> {
          String group = sourceGroups.get(peerId);
          if (config.p2p().external().isPresent()
              || group == null
              || listenPort == 0
              || AddressScope.of(ip) == AddressScope.INVALID) {
            return; // configured by hand, or a voter without a dialable address (a group of its
            // own)
          }
          observed
              .vote(peerId, group, ip)
              .ifPresent(
                  adopted -> {
                    HostPort external = new HostPort(adopted.getHostAddress(), listenPort);
                    log.info(
                        "external address {} adopted: peers of {} network groups observe it",
                        external,
                        discovery.observedAddressQuorum());
                    advertise(external);
                  });
        });
  }

  /**
   * Signature checks on a worker; the answer comes back on this context, and what it adds is saved.
   */
  private void checkOffLoop(List<AddressRecord> records, Consumer<AddressRecord> then) {
    vertx
        .executeBlocking(() -> Optional.ofNullable(AddressRecords.firstForged(records)), false)
        .onSuccess(
            forgery -> {
              then.accept(forgery.orElse(null));
              saver.changed();
            });
  }

  private void advertise(HostPort address) {
    if (selfRecord.advertise(address, nowSeconds())) {
      exchange.signedPeers().forEach(exchange::sendOwnRecord);
    }
    advertisedChanged.accept(address);
  }

  private static long nowSeconds() {
    return System.currentTimeMillis() / 1000;
  }

  /**
   * This node's own scope decides which exchanged addresses it accepts. A wildcard or host-name
   * listen address counts as public: a node must say (listen or external) that it lives on a LAN or
   * on loopback before it takes such addresses from strangers.
   */
  static AddressScope selfScope(NodeConfig config) {
    HostPort advertised = config.p2p().advertised();
    return AddressScope.of(advertised)
        .filter(s -> s != AddressScope.INVALID)
        .orElse(AddressScope.PUBLIC);
  }

  /** Thread-safe: the anchors saved at the last shutdown, once (later calls get none). */
  public Future<List<PeerAddress>> takeAnchors() {
    Promise<List<PeerAddress>> result = Promise.promise();
    context.runOnContext(
        v -> {
          result.complete(anchors);
          anchors = List.of();
        });
    return result.future();
  }

  /**
   * Thread-safe: the outbound peers connected as the node stops, saved as anchors when the book
   * stops.
   */
  public void anchorsAtShutdown(List<PeerAddress> outbound) {
    context.runOnContext(v -> anchorsAtShutdown = List.copyOf(outbound));
  }

  /**
   * Thread-safe: a peer completed a handshake; {@code dialable} is null when it gave no usable
   * port; {@code signed}: the connection uses addr/1 (signed records; the peer gets this node's
   * own).
   */
  public void peerConnected(
      String id, HostPort dialable, AddressScope scope, boolean outbound, boolean signed) {
    context.runOnContext(
        v -> {
          connected.put(id, scope);
          if (dialable != null) {
            sourceGroups.put(id, PeerBook.bucketGroup(dialable));
            book.seen(id, dialable, outbound ? BookEntry.Source.DIAL : BookEntry.Source.INBOUND);
            saver.changed();
          }
          exchange.connected(id, signed);
          if (outbound && discovery.enabled()) {
            exchange.request(
                id); // learn addresses from peers we chose, not from those who chose us
          }
        });
  }

  public void peerDisconnected(String id) {
    context.runOnContext(
        v -> {
          connected.remove(id);
          sourceGroups.remove(id);
          exchange.forget(id);
          book.disconnected(id);
        });
  }

  public void peerBanned(String id, long until) {
    context.runOnContext(v -> book.banned(id, until));
  }

  /** Thread-safe: a topic-255 message from a peer connected from an address of {@code scope}. */
  public void exchangeMessage(String peerId, AddressScope scope, byte[] payload) {
    if (!discovery.enabled()) {
      return; // no peer exchange here: requests go unanswered, and nobody is blamed for asking
    }
    context.runOnContext(
        v -> {
          exchange.received(peerId, scope, payload);
          saver.changed();
        });
  }

  /**
   * Thread-safe: up to {@code count} entries to dial for free outbound slots (see {@link
   * PeerBook#candidates}); each is marked attempted now.
   */
  public Future<List<PeerAddress>> candidates(
      int count, Set<String> excluded, Set<String> usedGroups) {
    Promise<List<PeerAddress>> result = Promise.promise();
    context.runOnContext(
        v -> {
          List<BookEntry> picked = book.candidates(count, excluded::contains, usedGroups);
          picked.forEach(e -> book.attempted(e.id));
          result.complete(picked.stream().map(BookEntry::peerAddress).toList());
        });
    return result.future();
  }

  /**
   * Thread-safe: how a dial of a book candidate ended (success updates the entry when it connects).
   */
  public void dialed(String id, boolean ok) {
    context.runOnContext(
        v -> {
          metrics.dial("outbound", ok);
          if (!ok) {
            recordFailure(id);
          }
        });
  }

  private void recordFailure(String id) {
    if (book.failed(id)) {
      log.info(
          "peer {} removed from the book after {} failed dials",
          PeerId.shortForm(id),
          discovery.maxDialFailures());
    }
    saver.changed();
  }

  /** Asks one random connected peer for addresses, then again after a jittered interval. */
  private void scheduleExchange() {
    long interval = discovery.peerExchangeIntervalMs();
    long delay =
        Math.max(1, (long) (interval * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    exchangeTimer =
        vertx.setTimer(
            delay,
            id -> {
              if (!connected.isEmpty()) {
                List<String> ids = List.copyOf(connected.keySet());
                exchange.request(ids.get(ThreadLocalRandom.current().nextInt(ids.size())));
              }
              scheduleExchange();
            });
  }

  /**
   * A feeler dial: connects to one book entry that is not connected, completes the handshake (which
   * proves the id at that address) and disconnects, so the book learns which entries are alive
   * without spending a peer slot.
   */
  private void feel() {
    if (feelerInFlight) {
      return;
    }
    book.feelerTarget(connected::containsKey)
        .ifPresent(
            target -> {
              feelerInFlight = true;
              book.attempted(target.id);
              PeerAddress address = target.peerAddress();
              DialRequests.feel(vertx, addresses, address)
                  .onComplete(
                      ar -> {
                        feelerInFlight = false;
                        metrics.dial("feeler", ar.succeeded());
                        if (ar.succeeded()) {
                          book.seen(address.id(), address.address(), BookEntry.Source.EXCHANGE);
                          saver.changed();
                        } else {
                          log.debug("feeler to {} failed: {}", address, ar.cause().getMessage());
                          recordFailure(address.id());
                        }
                      });
            });
  }

  /**
   * The {@code /api/book} answer: entries, most recently seen first, with whether each is
   * connected.
   */
  private JsonArray list() {
    JsonArray out = new JsonArray();
    book.entries().stream()
        .sorted(Comparator.comparingLong((BookEntry e) -> e.lastSeen).reversed())
        .forEach(e -> out.add(e.toJson().put("connected", connected.containsKey(e.id))));
    return out;
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(exchangeTimer);
    vertx.cancelTimer(feelerTimer);
    vertx.cancelTimer(recordTimer);
    List<PeerAddress> toSave = anchorsAtShutdown;
    Future<Void> anchorsSaved =
        toSave == null
            ? Future.succeededFuture()
            : vertx
                .<Void>executeBlocking(
                    () -> {
                      anchorStore.save(toSave);
                      return null;
                    })
                .onFailure(err -> log.warn("anchors could not be saved: {}", err.toString()));
    return listConsumer
        .unregister()
        .compose(v -> saver.stop())
        .compose(v -> anchorsSaved.recover(err -> Future.succeededFuture()));
  }
}
