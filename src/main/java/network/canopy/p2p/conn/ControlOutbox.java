package network.canopy.p2p.conn;

import java.util.ArrayDeque;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketFormat;

/**
 * Control messages waiting for the next frame, which carries them ahead of every topic. At most one
 * PING and one PONG wait at a time: a newer one replaces an unsent one, so a peer flooding PINGs
 * cannot grow this queue; window updates add up per topic (at most one entry per topic); at most
 * one OBSERVED_ADDRESS waits (addr/1: sent once per connection). Other control messages (lazy push)
 * wait in a queue of at most {@link #MAX_QUEUED} and go out after them, as many as fit in the
 * frame. Context-confined.
 */
final class ControlOutbox {
  /** Most queued lazy-push control messages; beyond that the newest is dropped (counted). */
  static final int MAX_QUEUED = 256;

  private final ArrayDeque<ControlMessage> queued = new ArrayDeque<>();
  long droppedQueued;
  private boolean pingPending;
  private long pingNonce;
  private boolean pongPending;
  private long pongNonce;

  /** Nonce and send time of the last PING written into a frame; valid while awaitingPong. */
  private long sentPingNonce;

  private long sentPingAt;
  private boolean awaitingPong;
  private final long[] windowIncrements = new long[PacketFormat.TOPIC_COUNT];
  private final int[] windowTopics = new int[PacketFormat.TOPIC_COUNT];
  private int windowCount;
  private ControlMessage.ObservedAddress observed;

  void ping(long nonce) {
    pingPending = true;
    pingNonce = nonce;
  }

  void pong(long nonce) {
    pongPending = true;
    pongNonce = nonce;
  }

  /**
   * Grants the peer {@code increment} more bytes of window on {@code topicId} in the next frame.
   */
  void window(int topicId, long increment) {
    if (windowIncrements[topicId] == 0) {
      windowTopics[windowCount++] = topicId;
    }
    windowIncrements[topicId] += increment;
  }

  /** Tells the peer where it is seen from, in the next frame (a newer unsent one replaces it). */
  void observed(ControlMessage.ObservedAddress message) {
    observed = message;
  }

  /** Queues a control message other than PING/PONG; false (dropped) when the queue is full. */
  boolean offer(ControlMessage message) {
    if (queued.size() >= MAX_QUEUED) {
      droppedQueued++;
      return false;
    }
    queued.add(message);
    return true;
  }

  boolean isEmpty() {
    return !pingPending && !pongPending && windowCount == 0 && observed == null && queued.isEmpty();
  }

  /** True while a PING is queued but not yet written into a frame. */
  boolean pingPending() {
    return pingPending;
  }

  /** Writes the waiting control packets at {@code frame[pos]}; returns the new position. */
  int write(byte[] frame, int pos, long nowNanos) {
    if (pongPending) {
      pos = writeMessage(frame, pos, new ControlMessage.Pong(pongNonce));
      pongPending = false;
    }
    if (pingPending) {
      pos = writeMessage(frame, pos, new ControlMessage.Ping(pingNonce));
      pingPending = false;
      sentPingNonce = pingNonce;
      sentPingAt = nowNanos;
      awaitingPong = true;
    }
    for (int i = 0; i < windowCount; i++) {
      int topic = windowTopics[i];
      for (long left = windowIncrements[topic]; left > 0; ) {
        long part = Math.min(left, ControlMessage.WindowUpdate.MAX_INCREMENT);
        pos = writeMessage(frame, pos, new ControlMessage.WindowUpdate(topic, part));
        left -= part;
      }
      windowIncrements[topic] = 0;
    }
    windowCount = 0;
    if (observed != null) {
      pos = writeMessage(frame, pos, observed);
      observed = null;
    }
    while (!queued.isEmpty()
        && pos + PacketFormat.START_HEADER_LENGTH + queued.peek().encodedLength() <= frame.length) {
      pos = writeMessage(frame, pos, queued.poll());
    }
    return pos;
  }

  /** The round trip of the PING a PONG answers, or -1 if it answers none still awaited. */
  long rttFor(long pongNonce, long nowNanos) {
    if (!awaitingPong || pongNonce != sentPingNonce) {
      return -1;
    }
    awaitingPong = false;
    return nowNanos - sentPingAt;
  }

  /** Writes one control message as a single START|END packet; returns the new position. */
  static int writeMessage(byte[] frame, int pos, ControlMessage message) {
    int length = message.encodedLength();
    pos =
        PacketFormat.writeHeader(
            frame,
            pos,
            PacketFormat.CONTROL_TOPIC,
            PacketFormat.FLAG_START | PacketFormat.FLAG_END,
            length,
            length);
    return message.encode(frame, pos);
  }
}
