package network.canopy.p2p.peer;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import network.canopy.p2p.book.PeerBookVerticle;
import network.canopy.p2p.book.PeerExchange;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.Goodbyes;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.conn.MemoryBudgetMetrics;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.gossip.GossipRouter;
import network.canopy.p2p.gossip.GossipValidation;
import network.canopy.p2p.reputation.Reputation;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.wire.PacketFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only owner of the active peer set: admits authenticated connections (bans, limits,
 * duplicates), starts their MultiConn, keeps {@code p2p.dial} peers connected, serves the peer API
 * on the event bus (with broadcast, see {@link GossipRouter}) and publishes peer events. All its
 * state lives on its own context.
 */
public final class PeerSetVerticle extends VerticleBase
    implements ConnectedPeer.Owner, PeerExchange.Link {

  private static final Logger log = LoggerFactory.getLogger(PeerSetVerticle.class);

  /** While a topic is held back, how often to check whether its application caught up. */
  private static final long DELIVERY_CHECK_MS = 1;

  private static final long GOODBYE_WAIT_MS = 2_000;

  private final NodeConfig config;
  private final String selfId;
  private final MeterRegistry registry;
  private final Addresses addresses;
  private final Map<String, ConnectedPeer> peers = new HashMap<>();
  private AdmissionPolicy admission;
  private TopicDelivery delivery;
  private PeerApi api;
  private GossipRouter gossip;
  private GossipApi gossipApi;
  private BanKeeper bans;
  private PeerJudge judge;
  private BanApi banApi;
  private ReportApi reportApi;
  private Redialer redialer;
  private final PeerBookVerticle book;
  private OutboundFiller filler;
  private OutboundSlots slots;
  private MessageConsumer<Object> mustConnectConsumer;
  private MessageConsumer<String> disconnectConsumer;
  private MessageConsumer<Object> memoryConsumer;
  private long deliveryTimer = -1;
  private long rewardTimer = -1;
  private long gaugeTimer = -1;
  private PeerGauges gauges;
  private PeerEvents events;
  private final Reputation reputation;
  private final MemoryBudget budget;

  /** One for all connections: each MultiConn keeps it for its life (idle peers, README). */
  private final ConnSettings connSettings;

  private boolean stopping;
  private final Promise<Void> drained = Promise.promise();

  /**
   * @param book the node's peer book, deployed before this verticle and linked to it here
   */
  public PeerSetVerticle(
      NodeConfig config, String selfId, MeterRegistry registry, PeerBookVerticle book) {
    this.config = config;
    this.book = book;
    book.link(this);
    this.selfId = selfId;
    this.registry = registry;
    this.addresses = new Addresses(config.eventBusPrefix());
    this.reputation = Reputation.forConfig(config.p2p(), System::currentTimeMillis);
    long configured = config.p2p().memoryBudgetBytes();
    this.budget =
        new MemoryBudget(
            configured > 0
                ? configured
                : MemoryBudget.defaultFor(Runtime.getRuntime().maxMemory()));
    this.connSettings = ConnSettingsFactory.from(config);
  }

  /** The node-wide memory budget every connection draws from. Thread-safe. */
  public MemoryBudget budget() {
    return budget;
  }

  @Override
  public Future<?> start() {
    String node = PeerId.shortForm(selfId);
    evictedCounter(); // registered at start, so it is scraped (at 0) before any eviction
    gossip =
        new GossipRouter(
            vertx,
            config,
            registry,
            node,
            budget.limit(),
            (peer, abuse, detail) ->
                report(
                    ((ConnectedPeer) peer).id,
                    PeerJudge.reputationEvent(abuse),
                    abuse + ": " + detail));
    gossipApi = new GossipApi(vertx, config, gossip);
    delivery =
        new TopicDelivery(
            vertx,
            config,
            registry,
            node,
            gossip,
            new GossipValidation(vertx, config, registry, node),
            peerId ->
                report(
                    peerId,
                    ReputationEvent.VALIDATION_REJECTED,
                    -config.gossip().validationRejectPoints(),
                    "its message was rejected by the validator"),
            () -> context.runOnContext(v -> watchHeld()));
    redialer = new Redialer(vertx, addresses, config.p2p().dial(), peers::containsKey);
    bans = new BanKeeper(vertx, config.dataDir(), reputation);
    admission =
        new AdmissionPolicy(
            selfId, config.p2p(), peers, reputation, redialer::mustConnectIds, bans::refusal);
    slots = new OutboundSlots(selfId, config.p2p().maxOutbound(), peers, admission, redialer);
    filler = new OutboundFiller(vertx, context, addresses, book, slots);
    api =
        new PeerApi(
            vertx,
            config,
            selfId,
            peers,
            redialer::mustConnectIds,
            reputation,
            delivery,
            budget,
            registry,
            node);
    gauges = new PeerGauges(registry, node);
    rewardTimer =
        vertx.setPeriodic(
            ReputationEvent.CONNECTED_LONG_EVERY_MILLIS, id -> judge.rewardLongConnections());
    events = new PeerEvents(vertx.eventBus(), addresses.events());
    judge = new PeerJudge(peers, reputation, bans, book, events);
    banApi = new BanApi(vertx, addresses, selfId, bans, judge::disconnectBanned, events);
    reportApi = new ReportApi(vertx, addresses, peers, reputation, judge::judge, events);
    gaugeTimer = vertx.setPeriodic(PeerGauges.REFRESH_MS, id -> refreshGauges());
    MemoryBudgetMetrics.register(registry, node, budget);
    mustConnectConsumer =
        vertx.eventBus().consumer(addresses.mustConnect(), this::replaceMustConnect);
    disconnectConsumer = vertx.eventBus().localConsumer(addresses.disconnect(), this::disconnect);
    memoryConsumer =
        vertx
            .eventBus()
            .localConsumer(addresses.memory(), msg -> msg.reply(MemoryBudgetMetrics.json(budget)));
    return bans.load()
        .compose(v -> api.register())
        .compose(v -> gossipApi.register())
        .compose(v -> delivery.registerAcks())
        .compose(v -> banApi.register())
        .compose(v -> reportApi.register())
        .compose(v -> mustConnectConsumer.completion());
  }

  /** {@code <prefix>.internal.disconnect}: an operator closes the connection to one peer. */
  private void disconnect(Message<String> msg) {
    ConnectedPeer peer = peers.get(msg.body());
    if (peer == null) {
      msg.fail(404, "peer " + msg.body() + " is not connected");
      return;
    }
    peer.close("disconnected by operator");
    msg.reply(peer.id);
  }

  /** {@code <prefix>.must-connect}: a JSON array of ID@HOST:PORT replaces the must-connect set. */
  private void replaceMustConnect(Message<Object> msg) {
    if (!(msg.body() instanceof JsonArray array)) {
      msg.fail(400, "body must be a JSON array of ID@HOST:PORT strings");
      return;
    }
    List<PeerAddress> parsed = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      try {
        parsed.add(PeerAddress.parse(String.valueOf(array.getValue(i))));
      } catch (IllegalArgumentException e) {
        msg.fail(400, "[" + i + "]: " + e.getMessage());
        return;
      }
    }
    redialer.replaceMustConnect(parsed);
    log.info("must-connect set replaced: {} peers", parsed.size());
    msg.reply(parsed.size());
  }

  /**
   * Runs a 1 ms check while any connection holds a topic back, and no timer at all otherwise: a
   * held topic resumes within about a millisecond of its application catching up.
   */
  private void watchHeld() {
    if (deliveryTimer != -1 || stopping) {
      return;
    }
    deliveryTimer =
        vertx.setPeriodic(
            DELIVERY_CHECK_MS,
            id -> {
              delivery.releaseCaughtUp();
              if (!delivery.anyHeld()) {
                vertx.cancelTimer(id);
                deliveryTimer = -1;
              }
            });
  }

  /** Thread-safe: starts keeping the {@code p2p.dial} peers connected, once the dialer is up. */
  public void startDialing() {
    context.runOnContext(
        v -> {
          redialer.start();
          if (config.p2p().discovery().enabled()) {
            filler.start();
          }
        });
  }

  /**
   * Thread-safe: sends a peer-exchange message to a connected peer (dropped if it is gone). Through
   * the connection's context: the book hears of a peer before its MultiConn is attached (see
   * doAdmit), and the task that attaches it runs there first.
   */
  @Override
  public void send(String peerId, Buffer payload) {
    context.runOnContext(
        v -> {
          ConnectedPeer peer = peers.get(peerId);
          if (peer != null) {
            peer.encrypted
                .context()
                .runOnContext(
                    w -> {
                      MultiConn conn = peer.conn();
                      if (conn != null) {
                        conn.send(PacketFormat.PEER_EXCHANGE_TOPIC, payload);
                      }
                    });
          }
        });
  }

  /** Through this context, so the book hears of the peer's connection before its messages. */
  @Override
  public void peerExchange(ConnectedPeer peer, Buffer payload) {
    byte[] bytes = payload.getBytes();
    context.runOnContext(v -> book.exchangeMessage(peer.id, peer.scope(), bytes));
  }

  @Override
  public void observedAddress(ConnectedPeer peer, InetAddress ip) {
    context.runOnContext(v -> book.observedBy(peer.id, ip));
  }

  /** Thread-safe: called by the listener and the dialer with each authenticated connection. */
  public void admit(EncryptedConn conn) {
    context.runOnContext(v -> doAdmit(conn));
  }

  private void doAdmit(EncryptedConn conn) {
    String id = conn.remoteId();
    AdmissionPolicy.Refused refused = admission.check(conn, stopping);
    if (refused != null) {
      ConnectedPeer evicted = admission.evictionFor(refused).orElse(null);
      if (evicted != null) {
        evict(evicted, id);
        refused = null;
      }
    }
    if (refused != null) {
      log.info(
          "peer {} {} refused: {}", PeerId.shortForm(id), conn.remoteAddress(), refused.reason());
      PeerMetrics.admissionRefused(registry, PeerId.shortForm(selfId), refused.kind()).increment();
      String reason = refused.reason();
      conn.context().runOnContext(v -> Goodbyes.refuse(conn, reason));
      if (conn.outbound()) {
        redialer.refusedLocally(id);
      }
      return;
    }
    ConnectedPeer existing = peers.get(id);
    if (existing != null) {
      log.debug(
          "peer {}: duplicate connection, keeping the one dialled by the lower id",
          PeerId.shortForm(id));
      existing.close("duplicate connection");
      peers.remove(id);
    }
    ConnectedPeer peer = new ConnectedPeer(conn, delivery, this);
    peers.put(id, peer);
    refreshGauges();
    conn.context()
        .runOnContext(
            v -> {
              // Queued before the start, which may deliver early messages: the book hears of the
              // peer first.
              context.runOnContext(w -> announceToBook(peer));
              MultiConn started = MultiConn.start(vertx, conn, connSettings, budget, peer);
              peer.attach(started);
              context.runOnContext(w -> connected(peer));
            });
  }

  private io.micrometer.core.instrument.Counter evictedCounter() {
    return io.micrometer.core.instrument.Counter.builder("p2p.inbound.evicted")
        .description("Inbound peers closed to make room for a newcomer")
        .tag("node", PeerId.shortForm(selfId))
        .register(registry);
  }

  /** Closes an inbound peer to make room for {@code newcomer}; its departure is told at once. */
  private void evict(ConnectedPeer peer, String newcomer) {
    String why = "evicted: inbound slots full, room made for a newcomer";
    log.info(
        "peer {} {} evicted for inbound newcomer {}",
        peer.shortId(),
        peer.encrypted.remoteAddress(),
        PeerId.shortForm(newcomer));
    evictedCounter().increment();
    peers.remove(peer.id);
    refreshGauges();
    gossip.peersChanged(peers.values());
    events.disconnected(peer, "EVICTED", why);
    book.peerDisconnected(peer.id);
    peer.close(why);
  }

  private void announceToBook(ConnectedPeer peer) {
    if (peers.get(peer.id) == peer) {
      book.peerConnected(
          peer.id, peer.dialable(), peer.scope(), peer.outbound, peer.usesAddressRecords());
    }
  }

  private void connected(ConnectedPeer peer) {
    if (peers.get(peer.id) != peer) {
      return; // replaced or closed while starting
    }
    gossip.peersChanged(peers.values());
    log.info(
        "peer {} connected ({} {})",
        peer.shortId(),
        peer.outbound ? "outbound to" : "inbound from",
        peer.encrypted.remoteAddress());
    events.connected(peer);
    peer.tellObservedAddress();
  }

  /**
   * Thread-safe: moves a peer's reputation (from this node's own observations or a higher layer's
   * verdict on its messages); a peer that falls to the ban threshold is banned and disconnected.
   */
  @Override
  public void report(String peerId, ReputationEvent event, String why) {
    report(peerId, event, event.points(), why);
  }

  /** As {@link #report(String, ReputationEvent, String)}, worth {@code points} (signed) instead. */
  public void report(String peerId, ReputationEvent event, double points, String why) {
    context.runOnContext(v -> judge.judge(peerId, event, points, why));
  }

  @Override
  public void closed(ConnectedPeer peer, CloseReason reason, String detail) {
    context.runOnContext(
        v -> {
          delivery.forget(peer);
          PeerMetrics.closed(registry, PeerId.shortForm(selfId), reason.name()).increment();
          ReputationEvent.of(reason).ifPresent(e -> report(peer.id, e, reason + ": " + detail));
          if (peers.get(peer.id) != peer) {
            return; // a duplicate we closed ourselves, or refused before it joined
          }
          peers.remove(peer.id);
          refreshGauges();
          reportApi.disconnected(peer.id);
          gossip.peersChanged(peers.values());
          events.disconnected(peer, reason.name(), detail);
          book.peerDisconnected(peer.id);
          if (!stopping) {
            BanNotice.until(reason, detail, System.currentTimeMillis())
                .ifPresent(t -> redialer.toldBanned(peer.id, t));
            redialer.disconnected(peer.id, System.currentTimeMillis() - peer.connectedSince);
            filler.fill();
          } else if (peers.isEmpty()) {
            drained.tryComplete();
          }
        });
  }

  private void refreshGauges() {
    gauges.refresh(peers.values(), reputation);
  }

  /**
   * Thread-safe: stops admitting and redialling, says goodbye to every peer and completes when
   * their connections have closed (or after a bound). The node calls it before its listener and
   * dialer stop, since closing those closes their sockets without a goodbye.
   */
  public Future<Void> closeAll(String reason) {
    Promise<Void> started = Promise.promise();
    context.runOnContext(
        v -> {
          if (!stopping) {
            stopping = true;
            book.anchorsAtShutdown(slots.anchors());
            vertx.cancelTimer(deliveryTimer);
            vertx.cancelTimer(rewardTimer);
            vertx.cancelTimer(gaugeTimer);
            redialer.stop();
            filler.stop();
            sayGoodbye(reason);
          }
          drained.future().onComplete(started);
        });
    return started.future();
  }

  private void sayGoodbye(String reason) {
    if (peers.isEmpty()) {
      drained.tryComplete();
      return;
    }
    peers.values().forEach(p -> p.close(reason));
    long timer = vertx.setTimer(GOODBYE_WAIT_MS, id -> drained.tryComplete());
    drained.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  @Override
  public Future<?> stop() {
    return closeAll("node shutting down")
        .compose(v -> api.unregister())
        .compose(v -> gossipApi.unregister())
        .compose(v -> banApi.unregister())
        .compose(v -> reportApi.unregister())
        .compose(v -> bans.changed())
        .compose(v -> mustConnectConsumer.unregister())
        .compose(v -> disconnectConsumer.unregister())
        .compose(v -> memoryConsumer.unregister());
  }
}
