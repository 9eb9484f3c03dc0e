package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.config.Addresses;

/**
 * A victim node "v" and four honest nodes that dial it, exchanging consensus messages both ways at
 * a fixed rate (each direction of each pair every {@link #PERIOD_MS} ms). Counts what was sent,
 * delivered and failed per direction, so a test can compare delivery rates and prove nothing lost.
 */
final class HonestMesh implements AutoCloseable {

  static final int HONEST = 4;
  static final long PERIOD_MS = 10;
  static final String TOPIC = "consensus";

  final TestNodes nodes = new TestNodes();
  final String victimId;
  final int victimPort;
  private final List<String> honestIds = new ArrayList<>();

  /** Per direction: [0..3] honest i → v, [4..7] v → honest i. */
  private final AtomicLong[] sent = counters();

  private final AtomicLong[] delivered = counters();
  private final AtomicLong sendFailures = new AtomicLong();
  private final AtomicLong foreignAtVictim = new AtomicLong();
  private long timer = -1;

  HonestMesh(Path root, Map<String, String> victimOverrides) throws Exception {
    BlockingQueue<JsonObject> events = PeerLimitsTest.events(nodes, "v");
    // Discovery off: the honest nodes would otherwise learn of each other and open connections
    // during the attack, moving the descriptor count the test compares.
    Map<String, String> victim = new java.util.HashMap<>(victimOverrides);
    victim.put("p2p.discovery", "false");
    nodes.start(nodes.config(root.resolve("v"), "v", victim));
    victimId = nodes.id("v");
    String listen = nodes.listenAddress("v");
    victimPort = Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
    countAt("v", -1);
    for (int i = 0; i < HONEST; i++) {
      nodes.start(
          nodes.config(
              root.resolve("h" + i),
              "h" + i,
              Map.of("p2p.dial", victimId + "@" + listen, "p2p.discovery", "false")));
      honestIds.add(nodes.id("h" + i));
      countAt("h" + i, i);
    }
    for (int i = 0; i < HONEST; i++) {
      MessagingTest.next(events, "peer.connected");
    }
  }

  /** Starts the fixed-rate exchange. */
  void startTraffic() {
    long[] seq = {0};
    timer =
        nodes.vertx.setPeriodic(
            PERIOD_MS,
            id -> {
              seq[0]++;
              for (int i = 0; i < HONEST; i++) {
                send("h" + i, victimId, "h" + i + ":" + seq[0], i);
                send("v", honestIds.get(i), "v:" + seq[0], HONEST + i);
              }
            });
  }

  /** Stops sending and waits (bounded) until every message sent has been delivered. */
  void stopTrafficAndDrain() throws Exception {
    nodes.vertx.cancelTimer(timer);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline && (lost() > 0)) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }

  /** Honest messages delivered so far, all directions. */
  long delivered() {
    long n = 0;
    for (AtomicLong d : delivered) {
      n += d.get();
    }
    return n;
  }

  /** Sent but not (yet) delivered, plus sends the node refused. */
  long lost() {
    long n = sendFailures.get();
    for (int i = 0; i < sent.length; i++) {
      n += sent[i].get() - delivered[i].get();
    }
    return n;
  }

  long sendFailures() {
    return sendFailures.get();
  }

  /** Messages from anyone but the honest peers that reached the victim's application. */
  long foreignAtVictim() {
    return foreignAtVictim.get();
  }

  private void send(String from, String to, String body, int direction) {
    sent[direction].incrementAndGet();
    nodes
        .vertx
        .eventBus()
        .request(new Addresses(from).send(), Buffer.buffer(body), MessagingTest.sendTo(to, TOPIC))
        .onFailure(e -> sendFailures.incrementAndGet());
  }

  /** At the victim, counts per honest sender; at honest node {@code index}, what v sent it. */
  private void countAt(String prefix, int index) throws Exception {
    await(
        nodes
            .vertx
            .eventBus()
            .<Buffer>consumer(
                new Addresses(prefix).topic(TOPIC),
                m -> {
                  String body = m.body().toString();
                  if (index >= 0) {
                    if (body.startsWith(
                        "v:")) { // consensus is a gossip topic: the others' messages come too
                      delivered[HONEST + index].incrementAndGet();
                    }
                  } else if (body.startsWith("h") && body.indexOf(':') == 2) {
                    delivered[body.charAt(1) - '0'].incrementAndGet();
                  } else {
                    foreignAtVictim.incrementAndGet();
                  }
                })
            .completion());
  }

  private static AtomicLong[] counters() {
    AtomicLong[] c = new AtomicLong[2 * HONEST];
    for (int i = 0; i < c.length; i++) {
      c[i] = new AtomicLong();
    }
    return c;
  }

  @Override
  public void close() {
    nodes.close();
  }
}
