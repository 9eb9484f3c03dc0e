package network.canopy.p2p.conn;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.FrameEncoder;
import network.canopy.p2p.wire.PacketDecoder;
import network.canopy.p2p.wire.PacketException;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.WireFormatException;

/**
 * The receive side of a connection: frames into the {@link PacketDecoder}, complete messages to the
 * consumer or to their topic's bounded inbox, and the socket paused while an inbox is over its
 * bound or the receive rate limit is in debt. Context-confined; counters are read cross-thread.
 */
final class Receiver implements PacketDecoder.MessageSink {

  /** What the receive side needs from its connection. */
  interface Events {
    /**
     * Hands a message to the consumer ({@code direct}: it carried the DIRECT flag); false means it
     * is saturated.
     */
    boolean deliver(int topicId, Buffer payload, boolean direct);

    void onControl(ControlMessage message);

    void fail(CloseReason reason, String detail);

    /** Control messages (window updates) are waiting to be sent. */
    void wakeSender();

    /** The peer sent past a topic's window (once per episode): it will cost reputation. */
    void windowExceeded(String detail);
  }

  /** Inbox bytes handed to a consumer per event-loop task when a held topic resumes. */
  static final long DRAIN_BYTES_PER_TASK = 256 * 1024;

  private final Vertx vertx;
  private final EncryptedConn conn;
  private final Events events;
  private final InboundTopic[] topics = new InboundTopic[PacketFormat.TOPIC_COUNT];
  private final List<InboundTopic> topicList;
  private final PacketDecoder decoder;
  private final TokenBucket bucket;

  /** Null when the peer does not speak window/1: a full inbox then pauses the socket. */
  private final ReceiveWindows windows;

  private final ControlOutbox control;
  private final BudgetAccount account;
  private final LongSupplier rttNanos;
  private long lastInboundNanos = System.nanoTime();
  private boolean ratePaused;

  /** Volatile: stats() reads it from other threads. */
  private volatile boolean paused;

  private boolean stopped;
  private long rateTimer = -1;
  volatile long framesIn;
  volatile long wireBytesIn;
  volatile long inboxBytes;
  volatile long inboxPeakBytes;
  volatile long reassemblyBytes;
  volatile long reassemblyPeakBytes;

  /**
   * @param bucket the receive rate limit, or null for none
   * @param windows per-topic receive windows, or null when the connection has no window/1
   * @param rttNanos the link's round-trip floor (RoundTripFloor), or -1 before the first PONG
   */
  Receiver(
      Vertx vertx,
      EncryptedConn conn,
      List<TopicSpec> local,
      TokenBucket bucket,
      ReceiveWindows windows,
      ControlOutbox control,
      MemoryBudget budget,
      LongSupplier rttNanos,
      Events events) {
    this.account =
        new BudgetAccount(
            vertx,
            budget,
            this::updatePause,
            this::oldestPartNanos,
            detail -> events.fail(CloseReason.STALLED_MESSAGE, detail));
    this.vertx = vertx;
    this.conn = conn;
    this.events = events;
    this.bucket = bucket;
    this.windows = windows;
    this.control = control;
    this.rttNanos = rttNanos;
    long[] limits = new long[PacketFormat.TOPIC_COUNT];
    Arrays.fill(limits, -1);
    limits[PacketFormat.CONTROL_TOPIC] = PacketFormat.MAX_CONTROL_MESSAGE;
    for (TopicSpec spec : local) {
      limits[spec.id()] = spec.maxMessageSize();
      topics[spec.id()] = new InboundTopic(spec);
    }
    this.topicList = local.stream().map(s -> topics[s.id()]).toList();
    this.decoder =
        new PacketDecoder(limits, conn.session().capabilities().contains(Capability.DIRECT), this);
  }

  void onFrame(byte[] plaintext, int offset, int length) {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    lastInboundNanos = now;
    int wire = FrameEncoder.encodedLength(length);
    framesIn++;
    wireBytesIn += wire;
    if (bucket != null) {
      bucket.spend(wire, now);
      if (!bucket.ready(now)) {
        ratePaused = true;
        armRateTimer(bucket.nanosUntilReady(now));
        updatePause();
      }
    }
    try {
      decoder.decodeFrame(plaintext, offset, length);
    } catch (PacketException e) {
      events.fail(CloseReason.of(e.reason()), e.detail());
    } finally {
      // Published for stats() on other threads; the decoder's own fields are context-confined.
      reassemblyBytes = decoder.heldBytes();
      reassemblyPeakBytes = decoder.peakHeldBytes();
    }
    account.check();
    grantKeptUpTopics();
  }

  /**
   * When the topic with a message in progress that heard from its peer longest ago last did, or 0.
   * A topic this node holds back (its consumer is saturated, its window not renewed) is left out
   * while the peer honours that window: then the stall is ours.
   */
  private long oldestPartNanos() {
    long oldest = 0;
    for (InboundTopic t : topicList) {
      boolean heldByUs = windows != null && t.mustQueue() && !windows.overrun(t.spec.id());
      if (t.partSinceNanos != 0 && !heldByUs && (oldest == 0 || t.partSinceNanos - oldest < 0)) {
        oldest = t.partSinceNanos;
      }
    }
    return oldest;
  }

  @Override
  public boolean tryHold(long bytes) {
    return account.tryHold(bytes);
  }

  @Override
  public boolean tryHoldWhole(long bytes) {
    return account.tryHoldWhole(bytes);
  }

  @Override
  public void hold(long bytes) {
    account.hold(bytes);
  }

  @Override
  public void released(long bytes) {
    account.released(bytes);
  }

  /** Window granted at the start, beyond the protocol's initial window. */
  void start() {
    account.start();
    if (windows != null) {
      windows.grantInitial(control);
      events.wakeSender();
    }
  }

  @Override
  public void onPacket(int topicId, boolean start, int dataLength) {
    InboundTopic t = topics[topicId];
    if (t != null) {
      t.partSinceNanos = System.nanoTime(); // cleared when the message completes
    }
    if (windows != null && windows.charge(topicId, start, dataLength)) {
      events.windowExceeded("topic " + topicId + ": data sent past the receive window");
      updatePause();
    }
  }

  /** Gives the peer back the window of the topics whose consumers keep up. */
  private void grantKeptUpTopics() {
    if (windows == null || stopped) {
      return;
    }
    boolean granted = false;
    long now = System.nanoTime();
    long rtt = rttNanos.getAsLong();
    for (InboundTopic t : topicList) {
      granted |= !t.mustQueue() && windows.grant(t.spec.id(), control, now, rtt);
    }
    if (granted) {
      events.wakeSender();
    }
  }

  @Override
  public void onMessage(int topicId, byte[] message) {
    onMessage(topicId, message, false);
  }

  @Override
  public void onMessage(int topicId, byte[] message, boolean direct) {
    if (topicId == PacketFormat.CONTROL_TOPIC) {
      try {
        events.onControl(ControlMessage.decode(message));
      } catch (WireFormatException e) {
        events.fail(CloseReason.MALFORMED_PACKET, "control message: " + e.getMessage());
      }
      return;
    }
    InboundTopic t = topics[topicId];
    t.partSinceNanos = 0;
    t.messagesIn++;
    t.bytesIn += message.length;
    Buffer payload = VertxInternals.wrapReadOnly(message);
    if (t.mustQueue()) {
      t.add(payload, direct);
      inboxBytes += message.length;
      account.inboxAdded(message.length);
      inboxPeakBytes = Math.max(inboxPeakBytes, inboxBytes);
      if (t.overBound()) {
        updatePause();
      }
    } else if (!events.deliver(topicId, payload, direct)) {
      saturated(t);
    }
  }

  /** The consumer of {@code t} said stop: its messages wait, and its window is renewed no more. */
  private void saturated(InboundTopic t) {
    t.saturated = true;
    if (windows != null) {
      windows.held(t.spec.id(), System.nanoTime(), t.bytesIn, rttNanos.getAsLong());
    }
  }

  /** The consumer of {@code topicId} can take more: hands it the inbox until it says stop again. */
  void resumeTopic(int topicId) {
    InboundTopic t = topicId >= 0 && topicId < topics.length ? topics[topicId] : null;
    if (t == null || stopped) {
      return;
    }
    t.saturated = false;
    drain(t);
  }

  /**
   * Delivers waiting messages of {@code t} while its consumer takes them, at most {@link
   * #DRAIN_BYTES_PER_TASK} per event-loop task: the rest follows in another task, so the frames of
   * other topics (and the socket) are read in between rather than behind a whole inbox.
   */
  private void drain(InboundTopic t) {
    t.drainScheduled = false;
    if (stopped) {
      return;
    }
    long delivered = 0;
    InboundTopic.Waiting message;
    while (!t.saturated
        && !stopped
        && delivered < DRAIN_BYTES_PER_TASK
        && (message = t.poll()) != null) {
      int length = message.payload().length();
      inboxBytes -= length;
      account.inboxTaken(length);
      delivered += length + InboundTopic.MESSAGE_OVERHEAD;
      if (!events.deliver(t.spec.id(), message.payload(), message.direct())) {
        saturated(t);
      }
    }
    if (!t.saturated && !stopped && t.mustQueue() && !t.drainScheduled) {
      t.drainScheduled = true;
      conn.context().runOnContext(v -> drain(t));
    }
    updatePause();
    account.check();
    grantKeptUpTopics();
  }

  /** When the last frame arrived; while the socket is paused by us this does not age. */
  long lastInboundNanos() {
    return paused ? System.nanoTime() : lastInboundNanos;
  }

  boolean paused() {
    return paused;
  }

  InboundTopic topic(int id) {
    return topics[id];
  }

  /** Stops for good (the connection closed): frees held messages and cancels the rate timer. */
  void stop() {
    account.stop();
    stopped = true;
    decoder.release();
    reassemblyBytes = 0;
    topicList.forEach(InboundTopic::clear);
    inboxBytes = 0;
    if (rateTimer >= 0) {
      vertx.cancelTimer(rateTimer);
      rateTimer = -1;
    }
  }

  private void updatePause() {
    boolean want =
        !stopped
            && (ratePaused || account.paused() || topicList.stream().anyMatch(this::pausesReading));
    if (want == paused) {
      return;
    }
    paused = want;
    if (want) {
      conn.pause();
    } else {
      lastInboundNanos =
          System.nanoTime(); // the peer's silence while we did not read is not its fault
      conn.resume();
    }
  }

  /**
   * A full inbox stops the whole socket only as a last resort: with window/1, only when the peer
   * sent past its window; without it (an older peer), whenever the inbox is over its bound.
   */
  private boolean pausesReading(InboundTopic t) {
    return t.overBound() && (windows == null || windows.overrun(t.spec.id()));
  }

  private void armRateTimer(long nanos) {
    if (rateTimer >= 0) {
      return;
    }
    long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
    rateTimer =
        vertx.setTimer(
            ms,
            id -> {
              rateTimer = -1;
              long now = System.nanoTime();
              if (bucket.ready(now)) {
                ratePaused = false;
                updatePause();
              } else {
                armRateTimer(bucket.nanosUntilReady(now));
              }
            });
  }
}
