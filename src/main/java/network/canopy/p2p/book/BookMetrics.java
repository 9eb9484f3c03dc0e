package network.canopy.p2p.book;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * The peer book's meters (see docs/METRICS.md): size, exchanges, addresses learned, evictions,
 * feelers, saves.
 */
final class BookMetrics {

  private final MeterRegistry registry;
  private final String node;

  BookMetrics(MeterRegistry registry, String node, Supplier<Number> size) {
    this.registry = registry;
    this.node = node;
    Gauge.builder("p2p.book.entries", size)
        .description("Entries in the peer book")
        .tag("node", node)
        .register(registry);
  }

  /**
   * {@code p2p_book_exchanges_total{node,event}}: request_sent, request_answered, request_refused
   * (over the rate limit), response_accepted, response_invalid, response_unsolicited.
   */
  void exchange(String event) {
    Counter.builder("p2p.book.exchanges")
        .description("Peer-exchange messages by what happened to them")
        .tag("node", node)
        .tag("event", event)
        .register(registry)
        .increment();
  }

  /**
   * {@code p2p_book_addresses_total{node,result}}: added, known, skipped (self, banned,
   * unreachable), refused (book full).
   */
  void addresses(String result, int count) {
    if (count > 0) {
      Counter.builder("p2p.book.addresses")
          .description("Addresses received by peer exchange, by outcome")
          .tag("node", node)
          .tag("result", result)
          .register(registry)
          .increment(count);
    }
  }

  /**
   * {@code p2p_book_evictions_total{node,reason}}: failures (too many failed dials) or capacity.
   */
  void evicted(String reason) {
    Counter.builder("p2p.book.evictions")
        .description("Entries removed from the peer book, by reason")
        .tag("node", node)
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /**
   * {@code p2p_book_dials_total{node,kind,result}}: kind outbound (filling slots) or feeler; result
   * ok or failed.
   */
  void dial(String kind, boolean ok) {
    Counter.builder("p2p.book.dials")
        .description("Dials of book entries, by kind and result")
        .tag("node", node)
        .tag("kind", kind)
        .tag("result", ok ? "ok" : "failed")
        .register(registry)
        .increment();
  }

  /** {@code p2p_book_saves_total{node,result}}. */
  void saved(boolean ok) {
    Counter.builder("p2p.book.saves")
        .description("Saves of peerbook.json, by result")
        .tag("node", node)
        .tag("result", ok ? "ok" : "failed")
        .register(registry)
        .increment();
  }
}
