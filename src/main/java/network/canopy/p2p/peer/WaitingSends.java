package network.canopy.p2p.peer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import network.canopy.p2p.config.TopicConfig;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.conn.PeerMetrics;
import network.canopy.p2p.conn.SendResult;

/**
 * Sends to one peer that found the topic's queue full, waiting in order for room (up to {@code
 * p2p.sendWaitMs} or the request's {@code p2p-wait-ms}) instead of failing at once: a sender at
 * full speed is paced by the receiver through its replies, and never has to retry in a loop.
 * Bounded per peer by count and bytes, node-wide by the memory budget. PeerSet context only.
 */
final class WaitingSends {

  /** Sends one peer may have waiting, all topics together. */
  static final int MAX_WAITING_PER_PEER = 1024;

  /**
   * The least the sends waiting for one peer may hold, whatever {@code p2p.sendQueueBytes} says.
   */
  static final long MIN_BYTES_PER_PEER = 16L << 20;

  /** How often waits past their deadline are failed. */
  static final long EXPIRY_CHECK_MS = 50;

  /** Where sends go and are counted (PeerApi). */
  interface Outlet {
    /** Puts a payload on a peer's topic queue now, counting it when queued. */
    SendResult attempt(ConnectedPeer peer, TopicConfig topic, Buffer payload);

    /** Counts a send that finally failed. */
    void refused(TopicConfig topic, SendResult result);
  }

  private record Waiting(
      Message<Object> msg, TopicConfig topic, Buffer payload, long cost, long deadlineNanos) {}

  /** One peer's waiting sends, per topic id (in order within a topic). */
  private static final class PeerWaits {
    final Map<Integer, ArrayDeque<Waiting>> byTopic = new TreeMap<>();
    int count;
    long bytes;
    boolean armed;
  }

  private final Vertx vertx;
  private final Context context;
  private final Map<String, ConnectedPeer> peers;
  private final MemoryBudget budget;
  private final long maxBytesPerPeer;
  private final Outlet outlet;
  private final Map<String, Counter> waitedCounters = new HashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final Map<String, PeerWaits> byPeer = new HashMap<>();
  private long expiryTimer = -1;

  WaitingSends(
      Vertx vertx,
      Context context,
      Map<String, ConnectedPeer> peers,
      MemoryBudget budget,
      long maxBytesPerPeer,
      Outlet outlet,
      List<TopicConfig> topics,
      MeterRegistry registry,
      String node) {
    this.vertx = vertx;
    this.context = context;
    this.peers = peers;
    this.budget = budget;
    this.maxBytesPerPeer = maxBytesPerPeer;
    this.outlet = outlet;
    for (TopicConfig t : topics) {
      waitedCounters.put(t.name(), PeerMetrics.waited(registry, node, t.name()));
    }
    Gauge.builder("p2p.sends.waiting", total, AtomicInteger::get)
        .description("Sends waiting for room in a full peer queue")
        .tag("node", node)
        .register(registry);
  }

  /**
   * Queues {@code payload} to {@code peer} and replies, or, when the topic's queue is full (or
   * sends of this topic already wait, which keeps them in order), lets the request wait up to
   * {@code waitMs} for room. Past the peer's bounds or the budget it fails with 503 at once.
   */
  void send(
      Message<Object> msg, ConnectedPeer peer, TopicConfig topic, Buffer payload, long waitMs) {
    PeerWaits waits = byPeer.get(peer.id);
    ArrayDeque<Waiting> queue = waits == null ? null : waits.byTopic.get(topic.id());
    if (queue == null || queue.isEmpty()) {
      SendResult result = outlet.attempt(peer, topic, payload);
      if (result != SendResult.QUEUE_FULL || waitMs <= 0) {
        answer(msg, result, peer, topic, payload);
        return;
      }
    } else if (waitMs <= 0) {
      answer(msg, SendResult.QUEUE_FULL, peer, topic, payload); // may not wait behind the others
      return;
    }
    long cost = payload.length() + 64L;
    if (waits != null
            && (waits.count >= MAX_WAITING_PER_PEER || waits.bytes + cost > maxBytesPerPeer)
        || !budget.tryAcquire(MemoryBudget.Pool.SEND, cost)) {
      answer(msg, SendResult.QUEUE_FULL, peer, topic, payload);
      return;
    }
    waitedCounters.get(topic.name()).increment();
    total.incrementAndGet();
    PeerWaits w = byPeer.computeIfAbsent(peer.id, id -> new PeerWaits());
    w.byTopic
        .computeIfAbsent(topic.id(), id -> new ArrayDeque<>())
        .add(new Waiting(msg, topic, payload, cost, System.nanoTime() + waitMs * 1_000_000));
    w.count++;
    w.bytes += cost;
    arm(peer, w);
    if (expiryTimer < 0) {
      expiryTimer = vertx.setPeriodic(EXPIRY_CHECK_MS, id -> failExpired());
    }
  }

  /** Fails every waiting send (the node is stopping). */
  void stop() {
    for (PeerWaits w : byPeer.values()) {
      for (ArrayDeque<Waiting> queue : w.byTopic.values()) {
        for (Waiting x : queue) {
          budget.release(MemoryBudget.Pool.SEND, x.cost);
          x.msg.fail(PeerApi.QUEUE_FULL, "node stopping");
        }
      }
    }
    byPeer.clear();
    total.set(0);
    cancelTimer();
  }

  private void arm(ConnectedPeer peer, PeerWaits w) {
    if (w.armed || peer.conn() == null) {
      return;
    }
    Waiting head = firstWaiting(w);
    w.armed = true;
    peer.conn()
        .whenRoom(
            head.topic.id(),
            head.payload.length(),
            () -> context.runOnContext(v -> drain(peer.id)));
  }

  /** Room was given back on the peer's connection (or it closed): sends what fits, in order. */
  private void drain(String peerId) {
    PeerWaits w = byPeer.get(peerId);
    if (w == null) {
      return;
    }
    w.armed = false;
    ConnectedPeer peer = peers.get(peerId);
    for (ArrayDeque<Waiting> queue : w.byTopic.values()) {
      while (!queue.isEmpty()) {
        Waiting head = queue.peek();
        // Its room in the budget passes to the queue: the waiting share is freed first, so a
        // nearly spent budget does not refuse a send for the room the send itself holds.
        budget.release(MemoryBudget.Pool.SEND, head.cost);
        SendResult result =
            peer == null || peer.conn() == null
                ? SendResult.CLOSED
                : outlet.attempt(peer, head.topic, head.payload);
        if (result == SendResult.QUEUE_FULL) {
          budget.add(MemoryBudget.Pool.SEND, head.cost); // still waiting: held again
          break;
        }
        remove(w, queue.poll(), false);
        if (peer == null || peer.conn() == null) {
          outlet.refused(head.topic, SendResult.CLOSED);
          head.msg.fail(PeerApi.NOT_CONNECTED, "peer " + peerId + " is not connected");
        } else {
          answer(head.msg, result, peer, head.topic, head.payload);
        }
      }
    }
    settle(peerId, w, peer);
  }

  private void failExpired() {
    long now = System.nanoTime();
    for (Map.Entry<String, PeerWaits> e : Map.copyOf(byPeer).entrySet()) {
      PeerWaits w = e.getValue();
      for (ArrayDeque<Waiting> queue : w.byTopic.values()) {
        for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
          Waiting x = it.next();
          if (now - x.deadlineNanos >= 0) {
            it.remove();
            remove(w, x);
            outlet.refused(x.topic, SendResult.QUEUE_FULL);
            x.msg.fail(
                PeerApi.QUEUE_FULL,
                "send queue full for peer " + shortId(e.getKey()) + ": no room within the wait");
          }
        }
      }
      settle(e.getKey(), w, peers.get(e.getKey()));
    }
  }

  /** Forgets a peer with nothing waiting, or makes sure its connection will call back. */
  private void settle(String peerId, PeerWaits w, ConnectedPeer peer) {
    w.byTopic.values().removeIf(ArrayDeque::isEmpty);
    if (w.count == 0) {
      byPeer.remove(peerId);
      if (byPeer.isEmpty()) {
        cancelTimer();
      }
    } else if (peer != null) {
      arm(peer, w);
    }
  }

  private void remove(PeerWaits w, Waiting x) {
    remove(w, x, true);
  }

  private void remove(PeerWaits w, Waiting x, boolean releaseBudget) {
    total.decrementAndGet();
    w.count--;
    w.bytes -= x.cost;
    if (releaseBudget) {
      budget.release(MemoryBudget.Pool.SEND, x.cost);
    }
  }

  private static Waiting firstWaiting(PeerWaits w) {
    return w.byTopic.values().stream().filter(q -> !q.isEmpty()).findFirst().orElseThrow().peek();
  }

  private void answer(
      Message<Object> msg, SendResult result, ConnectedPeer peer, TopicConfig topic, Buffer p) {
    if (result == SendResult.QUEUED) {
      msg.reply(null);
    } else {
      outlet.refused(topic, result);
      PeerApi.failSend(msg, result, peer, topic.name(), p);
    }
  }

  private void cancelTimer() {
    if (expiryTimer >= 0) {
      vertx.cancelTimer(expiryTimer);
      expiryTimer = -1;
    }
  }

  private static String shortId(String id) {
    return id.length() > 8 ? id.substring(0, 8) : id;
  }
}
