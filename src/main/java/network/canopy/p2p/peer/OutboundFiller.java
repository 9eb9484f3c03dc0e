package network.canopy.p2p.peer;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import network.canopy.p2p.book.DialRequests;
import network.canopy.p2p.book.PeerBookVerticle;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the regular outbound slots full: first the anchors saved at the last shutdown, then from
 * the peer book whenever slots are free (checked every second and on each disconnect) it asks the
 * book for that many candidates, in network groups not yet used by outbound peers, and dials them.
 * Runs on the PeerSet's context.
 */
final class OutboundFiller {

  private static final Logger log = LoggerFactory.getLogger(OutboundFiller.class);
  static final long CHECK_EVERY_MS = 1_000;

  private final Vertx vertx;
  private final Context context;
  private final Addresses addresses;
  private final PeerBookVerticle book;
  private final OutboundSlots slots;
  private final Set<String> dialling = new HashSet<>();
  private boolean asking;
  private long timer = -1;

  OutboundFiller(
      Vertx vertx,
      Context context,
      Addresses addresses,
      PeerBookVerticle book,
      OutboundSlots slots) {
    this.vertx = vertx;
    this.context = context;
    this.addresses = addresses;
    this.book = book;
    this.slots = slots;
  }

  /** Dials the anchors saved at the last shutdown first, then fills from the book. */
  void start() {
    timer = vertx.setPeriodic(CHECK_EVERY_MS, id -> fill());
    asking = true;
    book.takeAnchors()
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      asking = false;
                      if (ar.succeeded() && timer != -1) {
                        Set<String> excluded = slots.notToDial();
                        List<PeerAddress> anchors =
                            ar.result().stream()
                                .filter(a -> !excluded.contains(a.id()))
                                .limit(Math.max(0, slots.free()))
                                .toList();
                        if (!anchors.isEmpty()) {
                          log.info(
                              "dialling {} anchor(s) kept from the last run: {}",
                              anchors.size(),
                              anchors);
                        }
                        dialAll(anchors);
                      }
                      fill();
                    }));
  }

  void stop() {
    vertx.cancelTimer(timer);
    timer = -1;
  }

  /** Asks the book for as many candidates as there are free slots not already being dialled. */
  void fill() {
    int wanted = slots.free() - dialling.size();
    if (timer == -1 || asking || wanted <= 0) {
      return;
    }
    asking = true;
    Set<String> excluded = new HashSet<>(slots.notToDial());
    excluded.addAll(dialling);
    book.candidates(wanted, excluded, slots.usedGroups())
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      asking = false;
                      if (ar.succeeded() && timer != -1) {
                        dialAll(ar.result());
                      }
                    }));
  }

  private void dialAll(List<PeerAddress> targets) {
    for (PeerAddress target : targets) {
      dialling.add(target.id());
      DialRequests.dial(vertx, addresses, target)
          .onComplete(
              ar -> {
                dialling.remove(target.id());
                book.dialed(target.id(), ar.succeeded());
                if (ar.failed()) {
                  log.debug("dial of book entry {} failed: {}", target, ar.cause().getMessage());
                }
              });
    }
  }
}
