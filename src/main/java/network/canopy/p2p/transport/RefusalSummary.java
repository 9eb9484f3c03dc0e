package network.canopy.p2p.transport;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts inbound connections refused before or during the handshake, by reason, between two log
 * lines: a flood is one line per period instead of one per connection, yet never silent.
 * Thread-safe (every accepting event loop adds to it).
 */
final class RefusalSummary {

  /** How often the listener logs what was refused, when anything was. */
  static final long PERIOD_MS = 10_000;

  /** What was refused in one period: how many, and {@code "BANNED_IP 10, NETWORK_MISMATCH 2"}. */
  record Period(long total, String byReason) {}

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  void add(String reason) {
    counts.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  /** The refusals since the last call (and starts counting afresh); null when there were none. */
  Period drain() {
    Map<String, Long> taken = new TreeMap<>();
    counts.forEach(
        (reason, adder) -> {
          long n = adder.sumThenReset();
          if (n > 0) {
            taken.put(reason, n);
          }
        });
    if (taken.isEmpty()) {
      return null;
    }
    long total = taken.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder text = new StringBuilder();
    taken.forEach(
        (reason, n) ->
            text.append(text.isEmpty() ? "" : ", ").append(reason).append(' ').append(n));
    return new Period(total, text.toString());
  }
}
