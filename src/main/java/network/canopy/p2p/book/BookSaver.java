package network.canopy.p2p.book;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the book at start and keeps {@code peerbook.json} current: a change is saved after a short
 * debounce, anything unsaved at least periodically, and everything at stop. The snapshot is taken
 * on the owner's context; the write runs on a worker, one at a time, never on an event loop.
 */
final class BookSaver {

  private static final Logger log = LoggerFactory.getLogger(BookSaver.class);

  private final Vertx vertx;
  private final PeerBookStore store;
  private final PeerBook book;
  private final BookMetrics metrics;
  private long debounceMs;
  private long savedChanges = -1;
  private long debounceTimer = -1;
  private long periodicTimer = -1;

  /** The save in progress, if any; saves never overlap. */
  private Future<Void> writing = Future.succeededFuture();

  BookSaver(Vertx vertx, PeerBookStore store, PeerBook book, BookMetrics metrics) {
    this.vertx = vertx;
    this.store = store;
    this.book = book;
    this.metrics = metrics;
  }

  /** Reads the saved book into the (empty) book; a corrupt file is set aside, never fatal. */
  Future<Void> load() {
    return vertx
        .executeBlocking(store::load)
        .map(
            loaded -> {
              loaded
                  .setAside()
                  .ifPresent(
                      aside ->
                          log.warn(
                              "peer book {} could not be read; kept aside as {};"
                                  + " starting with an empty book",
                              store.file(),
                              aside.getFileName()));
              if (loaded.skipped() > 0) {
                log.warn(
                    "peer book {}: {} malformed entries skipped", store.file(), loaded.skipped());
              }
              if (loaded.key() != null) {
                book.restoreKey(loaded.key());
              }
              loaded.entries().forEach(book::restore);
              savedChanges = book.changes();
              log.info("peer book: {} entries loaded from {}", book.size(), store.file());
              return null;
            });
  }

  void start(long debounceMs, long everyMs) {
    this.debounceMs = debounceMs;
    periodicTimer = vertx.setPeriodic(everyMs, id -> saveIfChanged());
  }

  /** Something may have changed: save soon, once, however many changes come meanwhile. */
  void changed() {
    if (book.changes() != savedChanges && debounceTimer == -1 && periodicTimer != -1) {
      debounceTimer =
          vertx.setTimer(
              debounceMs,
              id -> {
                debounceTimer = -1;
                saveIfChanged();
              });
    }
  }

  /** Stops the timers and completes once everything is on disk. */
  Future<Void> stop() {
    vertx.cancelTimer(periodicTimer);
    vertx.cancelTimer(debounceTimer);
    periodicTimer = -1;
    return save();
  }

  private void saveIfChanged() {
    if (book.changes() != savedChanges) {
      save();
    }
  }

  private Future<Void> save() {
    long changes = book.changes();
    Buffer document = PeerBookStore.encode(book.entries(), book.key(), System.currentTimeMillis());
    Promise<Void> done = Promise.promise();
    writing =
        writing.eventually(
            () ->
                vertx
                    .<Void>executeBlocking(
                        () -> {
                          store.save(document);
                          return null;
                        })
                    .onComplete(
                        ar -> {
                          metrics.saved(ar.succeeded());
                          if (ar.succeeded()) {
                            savedChanges = Math.max(savedChanges, changes);
                          } else {
                            log.warn(
                                "peer book save to {} failed: {}",
                                store.file(),
                                ar.cause().toString());
                          }
                          done.handle(ar);
                        }));
    return done.future();
  }
}
