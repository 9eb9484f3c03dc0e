package network.canopy.p2p.peer;

import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import network.canopy.p2p.book.DialRequests;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.PeerAddress;
import network.canopy.p2p.crypto.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps peers connected that must be: the configured {@code p2p.dial} peers and the must-connect
 * set. Dials each at start and again whenever it drops, at its configured address, with exponential
 * backoff plus jitter, capped, for ever. An offline peer costs one timer and one connection attempt
 * per backoff period. The backoff resets only after a connection that lasted {@link #STABLE_MS}: a
 * peer that completes the handshake and then refuses (full, banned, duplicate) is redialled ever
 * more slowly, not every half second. Runs on the PeerSet's context.
 */
final class Redialer {

  private static final Logger log = LoggerFactory.getLogger(Redialer.class);
  static final long FIRST_RETRY_MS = 500;
  static final long MAX_RETRY_MS = 60_000;

  /**
   * A connection that lasted this long was a real one: the next drop is retried quickly again. A
   * refusal arrives within milliseconds of the handshake; a connection lost to a heartbeat timeout
   * (5 s by default) under load must not wait out a grown backoff.
   */
  static final long STABLE_MS = 2_000;

  /** How the redialer waits: Vert.x timers on the PeerSet's context (a test drives its own). */
  interface Timers {
    long set(long delayMs, Runnable action);

    void cancel(long timerId);
  }

  private final Vertx vertx;
  private final Timers scheduler;
  private final Addresses addresses;
  private final Map<String, PeerAddress> configured = new LinkedHashMap<>();
  private final Map<String, PeerAddress> mustConnect = new LinkedHashMap<>();
  private final Map<String, Long> delays = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();

  /** Peers that said we are banned there, with when (epoch ms) the ban ends: no dial before. */
  private final Map<String, Long> bannedUntil = new HashMap<>();

  private final Predicate<String> connected;
  private boolean started;
  private boolean stopped;

  Redialer(Vertx vertx, Addresses addresses, List<PeerAddress> dial, Predicate<String> connected) {
    this(
        vertx,
        addresses,
        dial,
        connected,
        new Timers() {
          @Override
          public long set(long delayMs, Runnable action) {
            return vertx.setTimer(delayMs, id -> action.run());
          }

          @Override
          public void cancel(long timerId) {
            vertx.cancelTimer(timerId);
          }
        });
  }

  Redialer(
      Vertx vertx,
      Addresses addresses,
      List<PeerAddress> dial,
      Predicate<String> connected,
      Timers scheduler) {
    this.vertx = vertx;
    this.scheduler = scheduler;
    this.addresses = addresses;
    this.connected = connected;
    dial.forEach(p -> configured.put(p.id(), p));
  }

  void start() {
    started = true;
    configured.keySet().forEach(this::dial);
    mustConnect.keySet().forEach(this::dial);
  }

  /**
   * Replaces the must-connect set; new members are dialled now, dropped ones are no longer
   * redialled.
   */
  void replaceMustConnect(List<PeerAddress> peers) {
    mustConnect.clear();
    peers.forEach(p -> mustConnect.put(p.id(), p));
    timers
        .keySet()
        .removeIf(
            id -> {
              boolean gone = target(id) == null;
              if (gone) {
                scheduler.cancel(timers.get(id));
              }
              return gone;
            });
    if (started) {
      mustConnect.keySet().forEach(this::dial);
    }
  }

  Set<String> mustConnectIds() {
    return mustConnect.keySet();
  }

  /** Every peer this redialer keeps connected: the book's filler leaves them alone. */
  Set<String> kept() {
    Set<String> ids = new HashSet<>(configured.keySet());
    ids.addAll(mustConnect.keySet());
    return ids;
  }

  /** A peer dropped after {@code connectedMs}: redial it if it is one we keep connected. */
  void disconnected(String peerId, long connectedMs) {
    if (connectedMs >= STABLE_MS) {
      delays.remove(peerId);
    }
    if (target(peerId) != null) {
      schedule(peerId);
    }
  }

  /**
   * A kept peer said GOODBYE because it bans this node until {@code untilMs} (PROTOCOL.md §16): its
   * next redial waits for that, instead of being refused again at every backoff step.
   */
  void toldBanned(String peerId, long untilMs) {
    bannedUntil.put(peerId, untilMs);
  }

  /**
   * This node refused an authenticated connection to a kept peer (say, banned): try again later.
   */
  void refusedLocally(String peerId) {
    if (target(peerId) != null) {
      schedule(peerId);
    }
  }

  void stop() {
    stopped = true;
    timers.values().forEach(scheduler::cancel);
    timers.clear();
  }

  private PeerAddress target(String peerId) {
    PeerAddress must = mustConnect.get(peerId);
    return must != null ? must : configured.get(peerId);
  }

  private void dial(String peerId) {
    timers.remove(peerId);
    PeerAddress target = target(peerId);
    if (stopped || target == null || connected.test(peerId)) {
      return;
    }
    DialRequests.dial(vertx, addresses, target)
        .onFailure(
            err -> {
              log.info(
                  "dial {} at {} failed: {}",
                  PeerId.shortForm(peerId),
                  target.address(),
                  err.getMessage());
              schedule(peerId);
            });
  }

  private void schedule(String peerId) {
    if (stopped || timers.containsKey(peerId)) {
      return;
    }
    long delay = delays.getOrDefault(peerId, FIRST_RETRY_MS);
    delays.put(peerId, Math.min(MAX_RETRY_MS, delay * 2));
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    long banLeft = bannedUntil.getOrDefault(peerId, 0L) - System.currentTimeMillis();
    bannedUntil.remove(peerId);
    long wait = Math.max(1, (long) (Math.max(delay, banLeft) * jitter));
    timers.put(peerId, scheduler.set(wait, () -> dial(peerId)));
  }
}
