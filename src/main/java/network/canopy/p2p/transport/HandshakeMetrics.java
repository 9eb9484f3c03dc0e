package network.canopy.p2p.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import network.canopy.p2p.wire.HandshakeFailure;

/**
 * Counts handshakes by role and outcome ({@code ok} or the refusal reason) and connections refused
 * before any handshake, as {@code p2p_handshakes_total} and {@code p2p_accept_refused_total}; a
 * connection refused before its handshake counts in both (result {@code BANNED_IP} etc.).
 */
public final class HandshakeMetrics {

  private final MeterRegistry registry;
  private final String node;

  public HandshakeMetrics(MeterRegistry registry, String nodeShortId) {
    this.registry = registry;
    this.node = nodeShortId;
  }

  void record(String role, AsyncResult<?> outcome) {
    count(role, result(outcome));
  }

  /** {@code ok}, or the reason the handshake failed. */
  static String result(AsyncResult<?> outcome) {
    return outcome.succeeded()
        ? "ok"
        : outcome.cause() instanceof HandshakeFailure f ? f.reason().name() : "IO_ERROR";
  }

  /** A dial whose version-2 hello was answered by a hang-up, redialled with version 1. */
  void versionFallback() {
    count("initiator", "VERSION_FALLBACK");
  }

  private void count(String role, String result) {
    Counter.builder("p2p.handshakes")
        .description("Handshakes by role and result (ok or refusal reason)")
        .tag("node", node)
        .tag("role", role)
        .tag("result", result)
        .register(registry)
        .increment();
  }

  void refused(Refusal refusal) {
    Counter.builder("p2p.accept.refused")
        .description("Inbound connections refused before the handshake")
        .tag("node", node)
        .tag("reason", refusal.reason())
        .register(registry)
        .increment();
    count("responder", refusal.name());
  }
}
