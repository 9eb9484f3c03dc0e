package network.canopy.p2p.peer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import network.canopy.p2p.reputation.BanList;
import network.canopy.p2p.reputation.BanStore;
import network.canopy.p2p.reputation.IpRange;
import network.canopy.p2p.reputation.OperatorBans;
import network.canopy.p2p.reputation.Reputation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's bans as the PeerSet keeps them: operator bans (by id, IP or CIDR) beside the
 * reputation's, all saved to {@code <dataDir>/bans.json} after every change and loaded at start, so
 * they hold after a restart. Owned by the PeerSet and called on its context; saves run on a worker,
 * one at a time, each writing the state of the moment it was asked for.
 */
final class BanKeeper {

  private static final Logger log = LoggerFactory.getLogger(BanKeeper.class);
  static final String OPERATOR = "operator";
  static final String REPUTATION = "reputation";

  private final Vertx vertx;
  private final Reputation reputation;
  private final OperatorBans operator = new OperatorBans(System::currentTimeMillis);
  private final BanStore store;
  private Future<Void> writing = Future.succeededFuture();

  BanKeeper(Vertx vertx, Path dataDir, Reputation reputation) {
    this.vertx = vertx;
    this.reputation = reputation;
    this.store = new BanStore(dataDir);
  }

  /** Reads the saved bans back; an unreadable file fails the start (bans must not be forgotten). */
  Future<Void> load() {
    return vertx
        .executeBlocking(store::load)
        .map(
            saved -> {
              int count = 0;
              for (BanStore.Saved s : saved) {
                try {
                  if (REPUTATION.equals(s.source()) && s.peer() != null) {
                    reputation
                        .bans()
                        .restore(new BanList.Temporary(s.peer(), s.until(), s.count(), s.reason()));
                  } else {
                    operator.add(
                        new OperatorBans.Ban(
                            s.peer(),
                            s.ip() == null ? null : IpRange.parse(s.ip()),
                            s.until(),
                            s.reason()));
                  }
                  count++;
                } catch (IllegalArgumentException e) {
                  log.warn(
                      "{}: skipped a ban of {}: {}",
                      store.file(),
                      s.peer() != null ? s.peer() : s.ip(),
                      e.getMessage());
                }
              }
              log.info("bans: {} loaded from {}", count, store.file());
              return null;
            });
  }

  /** Lifts a reputation ban (operator unban by id); false when there was none. */
  boolean liftReputationBan(String peerId) {
    return reputation.bans().lift(peerId);
  }

  OperatorBans operator() {
    return operator;
  }

  /** Why an operator ban refuses this peer or address, or null. */
  String refusal(String peerId, InetAddress address) {
    Optional<OperatorBans.Ban> ban = operator.ofPeer(peerId);
    if (ban.isEmpty() && address != null) {
      ban = operator.ofAddress(address);
    }
    return ban.map(
            b ->
                "banned by operator"
                    + (b.until() == BanList.FOREVER
                        ? ""
                        : " until " + java.time.Instant.ofEpochMilli(b.until())))
        .orElse(null);
  }

  /** Every ban in force: operator ones, then the reputation's current temporary bans. */
  JsonArray list() {
    JsonArray out = new JsonArray();
    for (OperatorBans.Ban b : operator.list()) {
      JsonObject json =
          b.peer() != null
              ? new JsonObject().put("peer", b.peer())
              : new JsonObject().put("ip", b.ip().text());
      out.add(json.put("until", b.until()).put("source", OPERATOR).put("reason", b.reason()));
    }
    long now = System.currentTimeMillis();
    for (BanList.Temporary t : reputation.bans().temporary()) {
      if (t.until() > now) {
        out.add(
            new JsonObject()
                .put("peer", t.id())
                .put("until", t.until())
                .put("source", REPUTATION)
                .put("reason", t.reason()));
      }
    }
    return out;
  }

  /**
   * Saves the bans as they are now (after the saves already asked for); the future ends with it.
   */
  Future<Void> changed() {
    Buffer document = BanStore.encode(snapshot());
    writing =
        writing
            .eventually(
                () ->
                    vertx.<Void>executeBlocking(
                        () -> {
                          store.save(document);
                          return null;
                        },
                        true))
            .onFailure(
                err ->
                    log.error("bans could not be saved to {}: {}", store.file(), err.toString()));
    return writing;
  }

  private List<BanStore.Saved> snapshot() {
    List<BanStore.Saved> all = new ArrayList<>();
    for (OperatorBans.Ban b : operator.list()) {
      all.add(
          new BanStore.Saved(
              OPERATOR, b.peer(), b.ip() == null ? null : b.ip().text(), b.until(), 1, b.reason()));
    }
    for (BanList.Temporary t : reputation.bans().temporary()) {
      all.add(new BanStore.Saved(REPUTATION, t.id(), null, t.until(), t.count(), t.reason()));
    }
    return all;
  }
}
