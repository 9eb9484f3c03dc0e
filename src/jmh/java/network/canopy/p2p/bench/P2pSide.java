package network.canopy.p2p.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * The side under test: messages go from an app on node B, through B's {@code .send} address, over
 * the nodes' encrypted connection, to an app consuming A's {@code .topic.<name>} address. Nothing
 * here touches the node's internals, so it measures what applications get.
 */
final class P2pSide implements Side {

  static final String PROBE_TOPIC = "tx";
  private static final long TIMEOUT_MS = 30_000;
  private static final long PROBE_EVERY_MS = 250;

  /** Outstanding send requests: enough to keep the connection busy, no unbounded queueing. */
  private static final int BULK_WINDOW = 8;

  private static final int SMALL_WINDOW = 256;

  private final Vertx vertx;
  private final P2pNodes nodes;

  /** A's apps: one for the urgent topic, one for the bulky ones, each on its own event loop. */
  private final P2pReceiver urgent;

  private final P2pReceiver bulk;
  private final P2pSender sender;
  private final String urgentDeployment;
  private final String bulkDeployment;
  private final String senderDeployment;

  private P2pSide(Vertx vertx, P2pNodes nodes) throws Exception {
    this.vertx = vertx;
    this.nodes = nodes;
    this.urgent = new P2pReceiver(nodes.a, List.of(P2pReceiver.ECHO_TOPIC));
    this.bulk = new P2pReceiver(nodes.a, List.of("block", "tx"));
    this.sender = new P2pSender(nodes.b, nodes.idA());
    this.urgentDeployment = Await.of(vertx.deployVerticle(urgent), TIMEOUT_MS);
    this.bulkDeployment = Await.of(vertx.deployVerticle(bulk), TIMEOUT_MS);
    this.senderDeployment = Await.of(vertx.deployVerticle(sender), TIMEOUT_MS);
    if (urgent.eventLoop().equals(bulk.eventLoop())) {
      System.out.println("note: p2p receiver apps share " + bulk.eventLoop());
    }
  }

  /**
   * Starts both nodes and their apps and waits until a probe message gets from B's app to A's.
   * Throws {@link Unavailable} (after closing everything) when none does within {@code connectMs}.
   */
  static P2pSide open(Vertx vertx, MeterRegistry registry, long connectMs) throws Exception {
    P2pNodes nodes = P2pNodes.start(vertx, registry);
    P2pSide side;
    try {
      side = new P2pSide(vertx, nodes);
    } catch (Exception e) {
      nodes.close();
      throw e;
    }
    String problem = side.awaitPath(connectMs);
    if (problem != null) {
      side.close();
      throw new Unavailable(problem);
    }
    return side;
  }

  /** Null once a probe arrived; else the last reason a probe was refused. */
  private String awaitPath(long connectMs) throws InterruptedException {
    DeliveryCounter probes = delivered(PROBE_TOPIC);
    long deadline = System.nanoTime() + connectMs * 1_000_000;
    String last = "no probe arrived within " + connectMs + " ms";
    while (System.nanoTime() < deadline) {
      try {
        Await.of(sender.send(PROBE_TOPIC, Payloads.random(16)), PROBE_EVERY_MS);
      } catch (Exception e) {
        last = e.toString();
      }
      Thread.sleep(PROBE_EVERY_MS);
      if (probes.messages() > 0) {
        return null;
      }
    }
    return last;
  }

  @Override
  public String label() {
    return "p2p";
  }

  @Override
  public Flow startFlow(String topic, int size) throws Exception {
    urgent.mode(P2pReceiver.Mode.COUNT);
    int window = size >= 64 * 1024 ? BULK_WINDOW : SMALL_WINDOW;
    SendWindow sends =
        Await.of(sender.startWindow(topic, Payloads.random(size), window), TIMEOUT_MS);
    DeliveryCounter delivered = delivered(topic);
    long before = delivered.messages();
    return new Flow() {
      @Override
      public DeliveryCounter delivered() {
        return delivered;
      }

      @Override
      public Throwable failure() {
        return sends.failure();
      }

      @Override
      public void stop() throws Exception {
        Await.of(sender.stopWindow(sends), TIMEOUT_MS);
        delivered.awaitMessages(before + sends.accepted(), TIMEOUT_MS);
      }
    };
  }

  @Override
  public long[] pingPong(String topic, int size, int count) throws Exception {
    urgent.mode(P2pReceiver.Mode.ECHO);
    try {
      return Await.of(sender.pingPong(Payloads.random(size), count), TIMEOUT_MS + count);
    } finally {
      urgent.mode(P2pReceiver.Mode.COUNT);
    }
  }

  /** The app on A consuming {@code consensus}: echoes, stamps. */
  P2pReceiver urgent() {
    return urgent;
  }

  /** What A's apps have been handed on {@code topic}. */
  DeliveryCounter delivered(String topic) {
    return topic.equals(P2pReceiver.ECHO_TOPIC) ? urgent.delivered(topic) : bulk.delivered(topic);
  }

  P2pSender sender() {
    return sender;
  }

  @Override
  public void close() throws Exception {
    Await.of(vertx.undeploy(senderDeployment), TIMEOUT_MS);
    Await.of(vertx.undeploy(urgentDeployment), TIMEOUT_MS);
    Await.of(vertx.undeploy(bulkDeployment), TIMEOUT_MS);
    nodes.close();
  }

  /** The nodes could not carry a message (yet): p2p figures are reported as null. */
  static final class Unavailable extends Exception {
    Unavailable(String reason) {
      super(reason);
    }
  }
}
