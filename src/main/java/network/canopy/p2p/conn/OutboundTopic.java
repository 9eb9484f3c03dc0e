package network.canopy.p2p.conn;

import io.vertx.core.buffer.Buffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One topic's send side: a queue any thread may add to, bounded in accounted bytes by atomic
 * counters (its own and the connection's), and the scheduler's per-topic state, which only the
 * connection's context touches.
 */
final class OutboundTopic {
  /** Accounted per queued message on top of its payload, so even empty messages fill a queue. */
  static final long MESSAGE_OVERHEAD = 64;

  final TopicSpec spec;

  /** The largest payload both sides accept on this topic. */
  final long sendLimit;

  /** Deficit round robin: bytes of credit added per turn, proportional to priority. */
  final int quantum;

  /** A queued message and whether it goes out flagged DIRECT (capability direct/1). */
  record Queued(Buffer payload, boolean direct) {}

  final ConcurrentLinkedQueue<Queued> queue = new ConcurrentLinkedQueue<>();
  final AtomicLong queuedBytes = new AtomicLong();
  private final AtomicLong connQueuedBytes;
  private final long connBound;
  private final MemoryBudget budget;
  private final RoomSignal room;

  /** Set by a sender that announced this topic to the scheduler, cleared by the scheduler. */
  final AtomicBoolean signalled = new AtomicBoolean();

  final LongAdder refused = new LongAdder();

  // Context-confined scheduler state.
  Buffer current;
  boolean currentDirect;
  int offset;
  boolean started;
  long deficit;
  boolean inRing;

  /** Window bytes the peer granted and we have not used (window/1); unlimited without it. */
  long window = Long.MAX_VALUE;

  volatile long messagesOut;
  volatile long bytesOut;

  /** Accepted but never sent: still queued at close, or pushed out by gossip's drop-oldest. */
  final LongAdder dropped = new LongAdder();

  OutboundTopic(
      TopicSpec spec,
      long sendLimit,
      int quantumPerPriority,
      AtomicLong connQueuedBytes,
      long connBound) {
    this(
        spec,
        sendLimit,
        quantumPerPriority,
        connQueuedBytes,
        connBound,
        MemoryBudget.unlimited(),
        new RoomSignal());
  }

  /**
   * @param budget the node's budget, which queued bytes also draw from (reserved by the caller)
   * @param room the connection's waiter for room, told whenever bytes leave any of its queues
   */
  OutboundTopic(
      TopicSpec spec,
      long sendLimit,
      int quantumPerPriority,
      AtomicLong connQueuedBytes,
      long connBound,
      MemoryBudget budget,
      RoomSignal room) {
    this.budget = budget;
    this.room = room;
    this.spec = spec;
    this.sendLimit = sendLimit;
    this.quantum = spec.priority() * quantumPerPriority;
    this.connQueuedBytes = connQueuedBytes;
    this.connBound = connBound;
  }

  /**
   * Reserves room for a message of {@code cost} accounted bytes in this topic's and the
   * connection's queue. An empty topic queue always takes one message, whatever the rest of the
   * connection holds: any allowed size can be sent, and one bulk topic filling the connection's
   * bound cannot lock the other topics out (a consensus vote behind a queued block). So the
   * connection holds at most its bound plus one message per topic.
   */
  boolean reserve(long cost) {
    long before = reserveReporting(queuedBytes, cost, spec.sendQueueBytes());
    if (before < 0) {
      return false;
    }
    if (before == 0) {
      connQueuedBytes.addAndGet(cost);
      return true;
    }
    if (reserveReporting(connQueuedBytes, cost, connBound) < 0) {
      queuedBytes.addAndGet(-cost);
      return false;
    }
    return true;
  }

  /**
   * Takes {@code cost}, already reserved here, from the node's memory budget too; when that is
   * spent the reservation is undone and false returned.
   */
  boolean drawFromBudget(long cost) {
    if (budget.tryAcquire(MemoryBudget.Pool.SEND, cost)) {
      return true;
    }
    queuedBytes.addAndGet(-cost);
    connQueuedBytes.addAndGet(-cost);
    return false;
  }

  /** Returns accounted bytes as they leave the queue (packetized) or are dropped. */
  void release(long bytes) {
    queuedBytes.addAndGet(-bytes);
    connQueuedBytes.addAndGet(-bytes);
    budget.release(MemoryBudget.Pool.SEND, bytes);
    room.fire();
  }

  /** Whether {@link #reserve} would take {@code cost} now (a snapshot: other senders may race). */
  boolean wouldTake(long cost) {
    long topic = queuedBytes.get();
    if (topic == 0) {
      return true;
    }
    long conn = connQueuedBytes.get();
    return topic + cost <= spec.sendQueueBytes() && (conn == 0 || conn + cost <= connBound);
  }

  /**
   * Adds {@code cost} unless that passes {@code bound} (an empty counter always takes it); returns
   * the value before, or -1.
   */
  private static long reserveReporting(AtomicLong counter, long cost, long bound) {
    while (true) {
      long now = counter.get();
      if (now != 0 && now + cost > bound) {
        return -1;
      }
      if (counter.compareAndSet(now, now + cost)) {
        return now;
      }
    }
  }

  /** Whether the scheduler has a message to take from this topic; moves the next one to current. */
  boolean advance() {
    if (current == null) {
      Queued next = queue.poll();
      current = next == null ? null : next.payload();
      currentDirect = next != null && next.direct();
      offset = 0;
      started = false;
    }
    return current != null;
  }

  /** Adds a WINDOW_UPDATE's increment (saturating: a peer cannot overflow it into a negative). */
  void grow(long increment) {
    window = window > Long.MAX_VALUE - increment ? Long.MAX_VALUE : window + increment;
  }

  /** True when the current message's next packet needs more window than the peer has granted. */
  boolean windowClosed() {
    long needed = (started ? 0 : ReceiveWindows.START_COST) + (current.length() > offset ? 1 : 0);
    return window < needed;
  }

  /** Drops every queued message at close, returning their accounted bytes; returns how many. */
  int discard() {
    int count = 0;
    if (current != null) {
      release(current.length() - offset + MESSAGE_OVERHEAD);
      current = null;
      count++;
    }
    Queued q;
    while ((q = queue.poll()) != null) {
      release(q.payload().length() + MESSAGE_OVERHEAD);
      count++;
    }
    dropped.add(count);
    return count;
  }
}
