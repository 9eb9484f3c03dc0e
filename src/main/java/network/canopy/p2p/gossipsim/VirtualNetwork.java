package network.canopy.p2p.gossipsim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import network.canopy.p2p.gossip.GossipId;
import network.canopy.p2p.gossip.GossipLinks;
import network.canopy.p2p.gossip.LazyControl;
import network.canopy.p2p.gossip.LazyParams;
import network.canopy.p2p.gossip.LazyPushRouter;

/**
 * Nodes of a graph, each running the node's own {@link LazyPushRouter}, joined by modelled links on
 * a {@link VirtualClock}: what a node sends arrives after the link's queue, serialisation and
 * latency. Counts payload receptions and bytes; records when each node first delivered each
 * message.
 */
final class VirtualNetwork {

  static final int TOPIC = 1;

  /** A simulated message: its index in the run and its size. */
  record Payload(int index, int size) {}

  private final int[][] graph;
  private final VirtualClock clock;
  private final LazyParams params;
  private final boolean lazy;
  private final LazyPushRouter<Integer, Payload>[] routers;
  private final boolean[] alive;

  /** Per directed link (a → b, keyed a * n + b): one-way latency and the time its queue frees. */
  private final Map<Long, double[]> links = new HashMap<>();

  private final double bytesPerMs;
  final long[] bytesSent;
  final long[] payloadBytesReceived;
  long payloadReceptions;
  long announcementBytes;
  long controlMessages;

  /** deliveredAt[message][node], NaN until delivered. */
  private final float[][] deliveredAt;

  private final GossipId[] ids;

  @SuppressWarnings("unchecked")
  VirtualNetwork(
      int[][] graph,
      LinkModel model,
      LazyParams params,
      boolean lazy,
      int messages,
      Random random) {
    this.graph = graph;
    this.clock = new VirtualClock();
    this.params = params;
    this.lazy = lazy;
    int n = graph.length;
    this.routers = newRouters(n);
    this.alive = new boolean[n];
    this.bytesSent = new long[n];
    this.payloadBytesReceived = new long[n];
    this.bytesPerMs = model.bytesPerMs();
    this.deliveredAt = new float[messages][];
    this.ids = new GossipId[messages];
    for (int a = 0; a < n; a++) {
      for (int b : graph[a]) {
        if (a < b) {
          double latency = model.latency(random);
          links.put(key(a, b), new double[] {latency, 0});
          links.put(key(b, a), new double[] {latency, 0});
        }
      }
    }
    for (int a = 0; a < n; a++) {
      start(a);
    }
  }

  VirtualClock clock() {
    return clock;
  }

  int size() {
    return graph.length;
  }

  boolean alive(int node) {
    return alive[node];
  }

  /** Node {@code origin} broadcasts message {@code index} now. */
  void broadcast(int origin, int index, int size, Random random) {
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    ids[index] = new GossipId(raw, null);
    float[] at = new float[graph.length];
    Arrays.fill(at, Float.NaN);
    deliveredAt[index] = at;
    at[origin] = (float) clock.now();
    Payload p = new Payload(index, size);
    if (routers[origin].accept(null, TOPIC, ids[index])) {
      routers[origin].forward(null, TOPIC, ids[index], p);
    }
  }

  float[] deliveredAt(int index) {
    return deliveredAt[index];
  }

  /** Stops a node: its links go down at both ends, whatever it had in flight is lost. */
  void kill(int node) {
    alive[node] = false;
    routers[node] = null;
    for (int m : graph[node]) {
      if (alive[m]) {
        routers[m].peerDown(node);
      }
    }
  }

  /** Starts a node afresh (empty caches), its links coming up with every live neighbour. */
  void start(int node) {
    LazyPushRouter<Integer, Payload> router =
        new LazyPushRouter<>(params, new Links(node), clock, Payload::size, topic -> lazy);
    routers[node] = router;
    alive[node] = true;
    for (int m : graph[node]) {
      if (alive[m]) {
        router.peerUp(m, true);
        routers[m].peerUp(node, true);
      }
    }
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | b;
  }

  /** Schedules the arrival of {@code bytes} sent now from {@code from} to {@code to}. */
  private void transmit(int from, int to, int bytes, Runnable onArrival) {
    double[] link = links.get(key(from, to));
    double start = Math.max(clock.now(), link[1]);
    link[1] = start + bytes / bytesPerMs;
    bytesSent[from] += bytes;
    LazyPushRouter<Integer, Payload> receiver = routers[to];
    clock.at(
        link[1] + link[0],
        () -> {
          if (routers[to] == receiver && routers[from] != null) { // neither end restarted meanwhile
            onArrival.run();
          }
        });
  }

  /** One node's side of the links: what its router sends becomes events at the neighbours. */
  private final class Links implements GossipLinks<Integer, Payload> {
    private final int node;

    Links(int node) {
      this.node = node;
    }

    @Override
    public void push(Integer peer, int topicId, Payload payload) {
      int to = peer;
      transmit(node, to, payload.size(), () -> received(node, to, payload));
    }

    @Override
    public void control(Integer peer, LazyControl message) {
      int to = peer;
      announcementBytes += message.wireBytes();
      controlMessages++;
      transmit(node, to, message.wireBytes(), () -> routers[to].onControl(node, message));
    }
  }

  private void received(int from, int to, Payload payload) {
    payloadReceptions++;
    payloadBytesReceived[to] += payload.size();
    LazyPushRouter<Integer, Payload> router = routers[to];
    GossipId id = ids[payload.index()];
    if (router.accept(from, TOPIC, id)) {
      float[] at = deliveredAt[payload.index()];
      if (Float.isNaN(at[to])) {
        at[to] = (float) clock.now();
      }
      router.forward(from, TOPIC, id, payload);
    }
  }

  @SuppressWarnings("unchecked") // a generic array: each slot is filled with this exact type
  private static LazyPushRouter<Integer, Payload>[] newRouters(int n) {
    return (LazyPushRouter<Integer, Payload>[]) new LazyPushRouter<?, ?>[n];
  }
}
