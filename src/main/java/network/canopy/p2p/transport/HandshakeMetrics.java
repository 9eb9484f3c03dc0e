package network.canopy.p2p.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import network.canopy.p2p.wire.HandshakeFailure;

/**
 * Counts handshakes by role and outcome ({@code ok} or the refusal reason) and connections refused
 * before any handshake, as {@code p2p_handshakes_total} and {@code p2p_accept_refused_total}.
 */
public final class HandshakeMetrics {

  private final MeterRegistry registry;
  private final String node;

  public HandshakeMetrics(MeterRegistry registry, String nodeShortId) {
    this.registry = registry;
    this.node = nodeShortId;
  }

  void record(String role, AsyncResult<?> outcome) {
    String result = outcome.succeeded() ? "ok"
        : outcome.cause() instanceof HandshakeFailure f ? f.reason().name() : "IO_ERROR";
    Counter.builder("p2p.handshakes").description("Handshakes by role and result (ok or refusal reason)")
        .tag("node", node).tag("role", role).tag("result", result)
        .register(registry).increment();
  }

  void refused(String reason) {
    Counter.builder("p2p.accept.refused").description("Inbound connections refused before the handshake")
        .tag("node", node).tag("reason", reason)
        .register(registry).increment();
  }
}
