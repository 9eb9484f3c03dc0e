package network.canopy.p2p.bench;

import io.vertx.core.Vertx;
import java.util.Map;
import network.canopy.p2p.node.VertxBootstrap;

/**
 * Runs each figure on every side that has it, the same way for all, and builds its row. A side that
 * is missing or fails leaves its column null with the reason as a note; nothing is guessed.
 */
final class Figures {

  private final Vertx vertx;
  private final Plan plan;
  private final Map<String, Side> sides;
  private final String p2pUnavailable;
  private final SelfSignedTls tls;

  /**
   * @param sides "p2p" (absent when unavailable), "tcp", "tls"
   * @param p2pUnavailable why p2p is absent, or null
   */
  Figures(
      Vertx vertx, Plan plan, Map<String, Side> sides, String p2pUnavailable, SelfSignedTls tls) {
    this.vertx = vertx;
    this.plan = plan;
    this.sides = sides;
    this.p2pUnavailable = p2pUnavailable;
    this.tls = tls;
  }

  FigureResult run(String name) throws Exception {
    FigureResult row =
        switch (name) {
          case "bulk-1MiB" -> stream(name, "MB/s", "block", Plan.MIB, true);
          case "small-128B" -> stream(name, "msg/s", "tx", 128, false);
          case "rtt-1KiB" -> roundTrips(name);
          case MixedPriority.NAME -> mixed();
          case "handshakes" -> handshakes(name);
          case "gossip-32", "gossip-128", GossipFigure.BIG -> gossip(name);
          case IdlePeersFigure.NAME -> idlePeers();
          default -> throw new IllegalArgumentException("unknown figure " + name);
        };
    if (row.value("p2p") == null
        && p2pUnavailable != null
        && !name.equals("handshakes")
        && !GossipFigure.isGossip(name)
        && !name.equals(IdlePeersFigure.NAME)) {
      row.note("p2p_unavailable", p2pUnavailable);
    }
    return row;
  }

  private FigureResult stream(String name, String unit, String topic, int size, boolean megabytes) {
    FigureResult row = new FigureResult(name, unit);
    for (String label : FigureResult.SIDES) {
      Side side = sides.get(label);
      row.put(
          label,
          side == null
              ? null
              : attempt(
                  row, label, () -> Measure.rate(side.startFlow(topic, size), plan, megabytes)));
    }
    return row;
  }

  private FigureResult roundTrips(String name) {
    FigureResult row = new FigureResult(name, "us p50");
    for (String label : FigureResult.SIDES) {
      Side side = sides.get(label);
      Measure.RoundTrips rt =
          side == null
              ? null
              : attempt(
                  row, label, () -> Measure.roundTrips(side, P2pReceiver.ECHO_TOPIC, 1024, plan));
      row.put(label, rt == null ? null : rt.p50());
      row.extra(label + "_p99", rt == null ? null : rt.p99());
    }
    return row;
  }

  private FigureResult mixed() {
    FigureResult empty =
        new FigureResult(MixedPriority.NAME, "us p99")
            .put("p2p", null)
            .put("tcp", null)
            .put("tls", null)
            .extra("p2p_without", null)
            .note("with_over_without", null);
    if (!(sides.get("p2p") instanceof P2pSide p2p)) {
      return empty;
    }
    FigureResult measured = attempt(empty, "p2p", () -> MixedPriority.measure(p2p, plan));
    return measured != null ? measured : empty;
  }

  /**
   * Its own network of N nodes: no baseline columns (the baselines are notes: 1 reception, the
   * diameter).
   */
  private FigureResult gossip(String name) {
    FigureResult empty =
        new FigureResult(name, "ms p50 to all").put("p2p", null).put("tcp", null).put("tls", null);
    FigureResult measured = attempt(empty, "p2p", () -> GossipFigure.measure(name, plan));
    return measured != null ? measured : empty;
  }

  /** Its own node and a second JVM of peers: no baseline columns. */
  private FigureResult idlePeers() {
    FigureResult empty =
        new FigureResult(IdlePeersFigure.NAME, "KiB heap per peer")
            .put("p2p", null)
            .put("tcp", null)
            .put("tls", null);
    FigureResult measured =
        attempt(empty, "p2p", () -> IdlePeersFigure.measure(vertx, VertxBootstrap.newRegistry()));
    return measured != null ? measured : empty;
  }

  /** Noise (the node's handshake, hence the p2p column) against full TLS 1.3 handshakes. */
  private FigureResult handshakes(String name) {
    FigureResult row = new FigureResult(name, "handshakes/s").put("tcp", null);
    row.put("p2p", attempt(row, "p2p", () -> handshakeRate(row, "p2p", HandshakeKind.noise())));
    row.put("tls", attempt(row, "tls", () -> handshakeRate(row, "tls", HandshakeKind.tls(tls))));
    row.note("clients", plan.handshakeClients());
    return row;
  }

  private Summary handshakeRate(FigureResult row, String label, HandshakeKind kind)
      throws Exception {
    HandshakeLoad load = HandshakeLoad.start(vertx, kind, plan.handshakeClients());
    Summary rate = Measure.rate(load, plan, false);
    row.note(label + "_failed", load.failures());
    if (load.firstFailure() != null) {
      row.note(label + "_first_error", load.firstFailure().toString());
    }
    return rate;
  }

  private interface Step<T> {
    T call() throws Exception;
  }

  /** Runs one side's measurement; a failure is printed and noted, and the column stays null. */
  private static <T> T attempt(FigureResult row, String label, Step<T> step) {
    try {
      return step.call();
    } catch (Exception e) {
      System.out.println("  " + row.name() + " " + label + " failed: " + e);
      row.note(label + "_error", e.toString());
      return null;
    }
  }
}
