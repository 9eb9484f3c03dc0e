package network.canopy.p2p.peer;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the configured {@code p2p.dial} peers connected: dials each at start and again whenever it
 * drops, with exponential backoff plus jitter, capped, for ever. An offline peer costs one timer and
 * one connection attempt per backoff period. Runs on the PeerSet's context.
 */
final class Redialer {

  private static final Logger log = LoggerFactory.getLogger(Redialer.class);
  static final long FIRST_RETRY_MS = 500;
  static final long MAX_RETRY_MS = 60_000;

  private final Vertx vertx;
  private final Addresses addresses;
  private final Map<String, PeerAddress> targets = new HashMap<>();
  private final Map<String, Long> delays = new HashMap<>();
  private final Map<String, Long> timers = new HashMap<>();
  private final Predicate<String> connected;
  private boolean stopped;

  Redialer(Vertx vertx, Addresses addresses, List<PeerAddress> dial, Predicate<String> connected) {
    this.vertx = vertx;
    this.addresses = addresses;
    this.connected = connected;
    dial.forEach(p -> targets.put(p.id(), p));
  }

  void start() {
    targets.keySet().forEach(this::dial);
  }

  /** A peer dropped: redial it if it is one of ours. */
  void disconnected(String peerId) {
    if (targets.containsKey(peerId)) {
      schedule(peerId);
    }
  }

  void stop() {
    stopped = true;
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
  }

  private void dial(String peerId) {
    timers.remove(peerId);
    if (stopped || connected.test(peerId)) {
      return;
    }
    PeerAddress target = targets.get(peerId);
    vertx.eventBus().<String>request(addresses.dial(), target.toString(),
            new DeliveryOptions().setSendTimeout(60_000))
        .onSuccess(reply -> delays.remove(peerId))
        .onFailure(err -> {
          log.info("dial {} failed: {}", target.id().substring(0, 8), err.getMessage());
          schedule(peerId);
        });
  }

  private void schedule(String peerId) {
    if (stopped || timers.containsKey(peerId)) {
      return;
    }
    long delay = delays.getOrDefault(peerId, FIRST_RETRY_MS);
    delays.put(peerId, Math.min(MAX_RETRY_MS, delay * 2));
    long jittered = Math.max(1, (long) (delay * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    timers.put(peerId, vertx.setTimer(jittered, id -> dial(peerId)));
  }
}
