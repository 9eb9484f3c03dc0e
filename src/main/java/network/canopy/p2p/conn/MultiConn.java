package network.canopy.p2p.conn;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.TopicInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic streams over one {@link EncryptedConn} (docs/PROTOCOL.md §8–11): bounded per-topic send
 * queues and inboxes, weighted packet interleaving, rate limits and heartbeat. Confined to the
 * connection's event-loop context except the methods marked thread-safe.
 */
public final class MultiConn {

  /** Receives what the connection delivers, always on its context. */
  public interface Listener {
    /**
     * A complete message. Return false when the consumer of this topic is saturated: further
     * messages of the topic then wait in its bounded inbox (the socket is paused while the inbox is
     * over its bound) until {@link #resumeTopic} is called. No message is ever dropped.
     */
    boolean onMessage(int topicId, Buffer payload);

    /**
     * As {@link #onMessage(int, Buffer)}, with whether the message came flagged DIRECT (addressed
     * to this node alone: never to be forwarded nor deduplicated; capability direct/1).
     */
    default boolean onMessage(int topicId, Buffer payload, boolean direct) {
      return onMessage(topicId, payload);
    }

    /** Called exactly once, whatever ended the connection. */
    void onClosed(CloseReason reason, String detail);

    /** A heartbeat round trip was measured. */
    default void onRtt(long nanos) {}

    /**
     * The peer sent past a topic's receive window (window/1), once per episode: the connection
     * keeps going, but the peer ignores flow control, which should cost it reputation.
     */
    default void onWindowExceeded(String detail) {}

    /** A lazy-push control message (only ever on a connection where both sides speak lazy/1). */
    default void onLazyPush(ControlMessage.LazyPush message) {}

    /** The peer says where it sees this node's side of the connection (addr/1; at most once). */
    default void onObservedAddress(ControlMessage.ObservedAddress observed) {}
  }

  private static final Logger log = LoggerFactory.getLogger(MultiConn.class);

  private final EncryptedConn conn;
  private final ConnSettings settings;
  private final Listener listener;
  private final Context context;
  private final OutboundTopic[] outbound = new OutboundTopic[PacketFormat.TOPIC_COUNT];
  private final List<OutboundTopic> outboundList = new ArrayList<>();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final RoomSignal room = new RoomSignal();
  private final FrameScheduler scheduler = new FrameScheduler();
  private final SendPump pump;
  private final Receiver receiver;
  private final Heartbeat heartbeat;
  private final boolean windows;
  private final ControlDispatch control;
  private volatile boolean closed;
  private volatile long lastRttNanos = -1;
  private final RoundTripFloor rttFloor = new RoundTripFloor();

  private MultiConn(
      Vertx vertx,
      EncryptedConn conn,
      ConnSettings settings,
      MemoryBudget budget,
      Listener listener) {
    this.conn = conn;
    this.settings = settings;
    this.listener = Objects.requireNonNull(listener, "listener");
    this.context = conn.context();
    NodeMetadata remote = conn.remoteMetadata();
    this.windows = conn.session().capabilities().contains(Capability.WINDOW);
    for (TopicSpec spec : settings.topics()) {
      long limit = sendLimit(spec, remote);
      if (limit >= 0) {
        OutboundTopic t =
            new OutboundTopic(
                spec,
                limit,
                FrameScheduler.QUANTUM_PER_PRIORITY,
                queuedBytes,
                settings.connSendQueueBytes(),
                budget,
                room);
        if (windows && spec.id() != PacketFormat.PEER_EXCHANGE_TOPIC) {
          t.window = ReceiveWindows.INITIAL;
        }
        outbound[spec.id()] = t;
        outboundList.add(t);
      }
    }
    long now = System.nanoTime();
    this.pump = new SendPump(vertx, conn, scheduler, bucket(settings.sendRateBytesPerSec(), now));
    this.receiver =
        new Receiver(
            vertx,
            conn,
            settings.topics(),
            bucket(settings.recvRateBytesPerSec(), now),
            windows ? new ReceiveWindows(settings.topics()) : null,
            scheduler.control,
            budget,
            () -> rttFloor.nanos(System.nanoTime()),
            new ReceiverEvents());
    this.heartbeat =
        new Heartbeat(
            vertx,
            scheduler.control,
            receiver,
            settings.heartbeatIntervalMs(),
            settings.heartbeatTimeoutMs(),
            new HeartbeatEvents());
    this.control = new ControlDispatch(heartbeat, listener, new ControlOwner());
  }

  /**
   * Takes over {@code conn} (it must not have been started) and starts it with this codec as its
   * listener, on the connection's context. Callable from any thread.
   */
  public static MultiConn start(
      Vertx vertx, EncryptedConn conn, ConnSettings settings, Listener listener) {
    return start(vertx, conn, settings, MemoryBudget.unlimited(), listener);
  }

  /**
   * Like {@link #start(Vertx, EncryptedConn, ConnSettings, Listener)}, drawing on the node's {@code
   * budget}.
   */
  public static MultiConn start(
      Vertx vertx,
      EncryptedConn conn,
      ConnSettings settings,
      MemoryBudget budget,
      Listener listener) {
    MultiConn multi = new MultiConn(vertx, conn, settings, budget, listener);
    multi.onContext(multi::attach);
    return multi;
  }

  /**
   * Queues {@code payload} for {@code topicId}. Thread-safe; decides synchronously. The payload is
   * read later on the event loop: do not modify it after sending.
   */
  public SendResult send(int topicId, Buffer payload) {
    return queue(topicId, payload, null, false);
  }

  /**
   * As {@link #send}, flagged DIRECT: the peer delivers it to its application only, never forwards
   * nor deduplicates it. Without {@code direct/1} on this connection it goes unflagged on a topic
   * the peer does not gossip (which it never forwards anyway), and is refused with {@link
   * SendResult#UNSUPPORTED} on a topic the peer gossips. Thread-safe.
   */
  public SendResult sendDirect(int topicId, Buffer payload) {
    if (has(Capability.DIRECT)) {
      return queue(topicId, payload, null, true);
    }
    boolean peerGossips = conn.remoteMetadata().topic(topicId).map(TopicInfo::gossip).orElse(false);
    return peerGossips ? SendResult.UNSUPPORTED : queue(topicId, payload, null, false);
  }

  /**
   * Gossip's full-queue policy: like {@link #send}, but when the topic's or the connection's queue
   * is full, the oldest messages of this topic not yet started on the wire are dropped to make room
   * (the newest gossip is the most useful; a slow peer never makes the sender wait). Each message
   * dropped, the new one included when no room can be made, is added to {@code droppedCount}.
   * Thread-safe; the payload is only read, so one Buffer may be queued for many peers at once.
   */
  public SendResult sendDroppingOldest(int topicId, Buffer payload, LongAdder droppedCount) {
    return queue(topicId, payload, Objects.requireNonNull(droppedCount, "droppedCount"), false);
  }

  /**
   * Both send policies: refuse when full ({@code droppedCount} null), or drop the oldest to make
   * room.
   */
  private SendResult queue(int topicId, Buffer payload, LongAdder droppedCount, boolean direct) {
    Objects.requireNonNull(payload, "payload");
    if (closed) {
      return SendResult.CLOSED;
    }
    OutboundTopic t = topicId >= 0 && topicId < outbound.length ? outbound[topicId] : null;
    if (t == null) {
      return SendResult.UNKNOWN_TOPIC;
    }
    if (payload.length() > t.sendLimit) {
      t.refused.increment();
      return SendResult.TOO_LARGE;
    }
    long cost = payload.length() + OutboundTopic.MESSAGE_OVERHEAD;
    while (!t.reserve(cost)) {
      OutboundTopic.Queued oldest = droppedCount == null ? null : t.queue.poll();
      if (oldest == null) {
        if (droppedCount != null) {
          droppedCount
              .increment(); // the new one: only a partly sent message or other topics fill the
          // queue
        }
        t.refused.increment();
        return SendResult.QUEUE_FULL;
      }
      droppedCount.increment();
      t.release(oldest.payload().length() + OutboundTopic.MESSAGE_OVERHEAD);
      t.dropped.increment();
    }
    if (!t.drawFromBudget(cost)) {
      if (droppedCount != null) {
        droppedCount.increment();
      }
      t.refused.increment();
      return SendResult.BUDGET_EXHAUSTED;
    }
    return enqueue(t, new OutboundTopic.Queued(payload, direct), cost);
  }

  private SendResult enqueue(OutboundTopic t, OutboundTopic.Queued message, long cost) {
    t.queue.add(message);
    if (closed && t.queue.remove(message)) {
      // Raced with close after its queues were dropped: take it back rather than strand it.
      t.release(cost);
      return SendResult.CLOSED;
    }
    if (t.signalled.compareAndSet(false, true)) {
      scheduler.activate(t);
      pump.wake();
    }
    return SendResult.QUEUED;
  }

  /**
   * Runs {@code action} once, on any thread, when this connection's send queues next give bytes
   * back (a message of any topic packetized or dropped) or the connection closes; at once if {@code
   * topicId}'s queue would already take a {@code payloadLength}-byte message or the connection is
   * closed. One waiter per connection: a later call replaces an earlier one not yet run, so one
   * owner should call it (the PeerSet's waiting sends). Thread-safe.
   */
  public void whenRoom(int topicId, long payloadLength, Runnable action) {
    room.arm(action);
    OutboundTopic t = topicId >= 0 && topicId < outbound.length ? outbound[topicId] : null;
    if (closed || t == null || t.wouldTake(payloadLength + OutboundTopic.MESSAGE_OVERHEAD)) {
      room.fire();
    }
  }

  /**
   * Tells the peer the address its side of the connection comes from, as a control message ahead of
   * everything else; nothing on a connection without {@code addr/1}. Thread-safe.
   */
  public void tellObservedAddress(ControlMessage.ObservedAddress observed) {
    if (has(Capability.ADDR)) {
      onContext(
          () -> {
            scheduler.control.observed(observed);
            pump.wake();
          });
    }
  }

  /**
   * Queues a control message to go out ahead of every topic (lazy push, PROTOCOL.md §13.3). At most
   * {@link ControlOutbox#MAX_QUEUED} wait; beyond that the newest is dropped. Thread-safe.
   */
  public void sendControl(ControlMessage message) {
    Objects.requireNonNull(message, "message");
    onContext(
        () -> {
          if (!closed && scheduler.control.offer(message)) {
            pump.wake();
          }
        });
  }

  /** The consumer of {@code topicId} can take messages again. Thread-safe. */
  public void resumeTopic(int topicId) {
    // Always a separate task: called from inside onMessage it must not re-enter delivery.
    context.runOnContext(v -> receiver.resumeTopic(topicId));
  }

  /**
   * Closes once with {@code reason}; a close of this node's own making first sends the peer a
   * GOODBYE carrying the detail (best effort). Thread-safe.
   */
  public void close(CloseReason reason, String detail) {
    onContext(() -> closeNow(reason, detail));
  }

  /** A snapshot of the counters. Thread-safe. */
  public ConnStats stats() {
    List<ConnStats.TopicStats> topics = new ArrayList<>();
    for (TopicSpec spec : settings.topics()) {
      InboundTopic in = receiver.topic(spec.id());
      OutboundTopic out = outbound[spec.id()];
      topics.add(
          new ConnStats.TopicStats(
              spec.id(),
              spec.name(),
              in.messagesIn,
              in.bytesIn,
              out == null ? 0 : out.messagesOut,
              out == null ? 0 : out.bytesOut,
              out == null ? 0 : out.queuedBytes.get(),
              in.inboxBytes,
              out == null ? 0 : out.refused.sum(),
              out == null ? 0 : out.dropped.sum()));
    }
    return new ConnStats(
        topics,
        queuedBytes.get(),
        lastRttNanos,
        receiver.reassemblyBytes,
        receiver.reassemblyPeakBytes,
        receiver.inboxBytes,
        receiver.inboxPeakBytes,
        receiver.paused(),
        pump.framesOut,
        pump.wireBytesOut,
        receiver.framesIn,
        receiver.wireBytesIn);
  }

  public String remoteId() {
    return conn.remoteId();
  }

  public NodeMetadata remoteMetadata() {
    return conn.remoteMetadata();
  }

  /**
   * True when both sides announced {@code capability} (a name from {@code wire.Capability}).
   * Thread-safe.
   */
  public boolean has(String capability) {
    return conn.session().capabilities().contains(capability);
  }

  public SocketAddress remoteAddress() {
    return conn.remoteAddress();
  }

  public boolean outbound() {
    return conn.outbound();
  }

  public Context context() {
    return context;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Our limit and the peer's, whichever is smaller, or -1 when the topic is not in both tables. */
  private static long sendLimit(TopicSpec spec, NodeMetadata remote) {
    if (spec.id() == PacketFormat.PEER_EXCHANGE_TOPIC) {
      return PacketFormat.MAX_PEER_EXCHANGE_MESSAGE;
    }
    return remote
        .topic(spec.id())
        .map(TopicInfo::maxMessageSize)
        .map(peer -> Math.min(peer, spec.maxMessageSize()))
        .orElse(-1L);
  }

  private static TokenBucket bucket(long rate, long now) {
    return rate == 0 ? null : new TokenBucket(rate, TokenBucket.defaultBurst(rate), now);
  }

  private void onContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void attach() {
    pump.start();
    heartbeat.start();
    receiver.start();
    conn.start(
        new EncryptedConn.Listener() {
          @Override
          public void onFrame(byte[] plaintext, int offset, int length) {
            receiver.onFrame(plaintext, offset, length);
          }

          @Override
          public void onClosed(CloseReason reason, String detail) {
            closed(reason, detail);
          }
        });
  }

  private void closeNow(CloseReason reason, String detail) {
    if (closed || conn.isClosed()) {
      return;
    }
    if (reason == CloseReason.GOODBYE) {
      conn.close(reason, detail);
    } else {
      pump.sendNow(reason.goodbye(detail));
      conn.closeAfterGoodbye(reason, detail);
    }
  }

  /** The one place the end of the connection is handled, whoever ended it. */
  private void closed(CloseReason reason, String detail) {
    if (closed) {
      return;
    }
    closed = true;
    heartbeat.stop();
    pump.stop();
    scheduler.discard(outboundList);
    room.fire(); // waiting sends learn of the close (nothing may have been queued to discard)
    receiver.stop();
    try {
      listener.onClosed(reason, detail);
    } catch (RuntimeException e) {
      log.warn("onClosed listener of {} failed", PeerId.shortForm(conn.remoteId()), e);
    }
  }

  /** Calls the consumer, turning its failures into INTERNAL_ERROR rather than a broken stream. */
  private final class ReceiverEvents implements Receiver.Events {
    @Override
    public boolean deliver(int topicId, Buffer payload, boolean direct) {
      try {
        return listener.onMessage(topicId, payload, direct);
      } catch (RuntimeException e) {
        log.warn(
            "message listener of {} failed on topic {}",
            PeerId.shortForm(conn.remoteId()),
            topicId,
            e);
        closeNow(CloseReason.INTERNAL_ERROR, "message listener failed: " + e);
        return true;
      }
    }

    @Override
    public void onControl(ControlMessage message) {
      control.onControl(message);
    }

    @Override
    public void wakeSender() {
      pump.wake();
    }

    @Override
    public void windowExceeded(String detail) {
      try {
        listener.onWindowExceeded(detail);
      } catch (RuntimeException e) {
        log.warn("window listener of {} failed", PeerId.shortForm(conn.remoteId()), e);
      }
    }

    @Override
    public void fail(CloseReason reason, String detail) {
      closeNow(reason, detail);
    }
  }

  private final class ControlOwner implements ControlDispatch.Owner {
    @Override
    public boolean has(String capability) {
      return MultiConn.this.has(capability);
    }

    @Override
    public void close(CloseReason reason, String detail) {
      closeNow(reason, detail);
    }

    @Override
    public void openWindow(int topicId, long increment) {
      OutboundTopic t = outbound[topicId];
      if (t != null) { // a topic of the peer's table that we do not send: nothing to open
        t.grow(increment);
        scheduler.activate(t);
        pump.wake();
      }
    }

    @Override
    public String remoteId() {
      return conn.remoteId();
    }
  }

  private final class HeartbeatEvents implements Heartbeat.Events {
    @Override
    public void wakeSender() {
      pump.wake();
    }

    @Override
    public void onRtt(long nanos) {
      lastRttNanos = nanos;
      rttFloor.sample(nanos, System.nanoTime());
      try {
        listener.onRtt(nanos);
      } catch (RuntimeException e) {
        log.warn("rtt listener of {} failed", PeerId.shortForm(conn.remoteId()), e);
      }
    }

    @Override
    public void timedOut(String detail) {
      closeNow(CloseReason.HEARTBEAT_TIMEOUT, detail);
    }
  }
}
