package network.canopy.p2p.conn;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Arrays;
import java.util.List;
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
    /** Hands a message to the consumer; false means it is saturated. */
    boolean deliver(int topicId, Buffer payload);

    void onControl(ControlMessage message);

    void fail(CloseReason reason, String detail);
  }

  private final Vertx vertx;
  private final EncryptedConn conn;
  private final Events events;
  private final InboundTopic[] topics = new InboundTopic[PacketFormat.TOPIC_COUNT];
  private final List<InboundTopic> topicList;
  private final PacketDecoder decoder;
  private final TokenBucket bucket;
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

  /** @param bucket the receive rate limit, or null for none */
  Receiver(Vertx vertx, EncryptedConn conn, List<TopicSpec> local, TokenBucket bucket, Events events) {
    this.vertx = vertx;
    this.conn = conn;
    this.events = events;
    this.bucket = bucket;
    long[] limits = new long[PacketFormat.TOPIC_COUNT];
    Arrays.fill(limits, -1);
    limits[PacketFormat.CONTROL_TOPIC] = PacketFormat.MAX_CONTROL_MESSAGE;
    for (TopicSpec spec : local) {
      limits[spec.id()] = spec.maxMessageSize();
      topics[spec.id()] = new InboundTopic(spec);
    }
    this.topicList = local.stream().map(s -> topics[s.id()]).toList();
    this.decoder = new PacketDecoder(limits, this);
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
  }

  @Override
  public void onMessage(int topicId, byte[] message) {
    if (topicId == PacketFormat.CONTROL_TOPIC) {
      try {
        events.onControl(ControlMessage.decode(message));
      } catch (WireFormatException e) {
        events.fail(CloseReason.MALFORMED_PACKET, "control message: " + e.getMessage());
      }
      return;
    }
    InboundTopic t = topics[topicId];
    t.messagesIn++;
    t.bytesIn += message.length;
    Buffer payload = VertxInternals.wrap(message);
    if (t.mustQueue()) {
      t.add(payload);
      inboxBytes += message.length;
      inboxPeakBytes = Math.max(inboxPeakBytes, inboxBytes);
      if (t.overBound()) {
        updatePause();
      }
    } else if (!events.deliver(topicId, payload)) {
      t.saturated = true;
    }
  }

  /** The consumer of {@code topicId} can take more: hands it the inbox until it says stop again. */
  void resumeTopic(int topicId) {
    InboundTopic t = topicId >= 0 && topicId < topics.length ? topics[topicId] : null;
    if (t == null || stopped) {
      return;
    }
    t.saturated = false;
    Buffer message;
    while (!t.saturated && !stopped && (message = t.poll()) != null) {
      inboxBytes -= message.length();
      if (!events.deliver(topicId, message)) {
        t.saturated = true;
      }
    }
    updatePause();
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
    boolean want = !stopped && (ratePaused || topicList.stream().anyMatch(InboundTopic::overBound));
    if (want == paused) {
      return;
    }
    paused = want;
    if (want) {
      conn.pause();
    } else {
      lastInboundNanos = System.nanoTime(); // the peer's silence while we did not read is not its fault
      conn.resume();
    }
  }

  private void armRateTimer(long nanos) {
    if (rateTimer >= 0) {
      return;
    }
    long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
    rateTimer = vertx.setTimer(ms, id -> {
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
