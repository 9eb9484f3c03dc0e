package network.canopy.p2p.conn;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * One topic's receive side: whether its consumer is saturated, and the inbox of complete messages
 * waiting for it, bounded by {@code inboxBytes} counting each message as its payload + 64 bytes. An
 * empty inbox always takes one message. Context-confined; counters are read cross-thread.
 */
final class InboundTopic {
  static final long MESSAGE_OVERHEAD = 64;

  /** A message in the inbox, with whether it came flagged DIRECT. */
  record Waiting(Buffer payload, boolean direct) {}

  final TopicSpec spec;
  private final ArrayDeque<Waiting> inbox = new ArrayDeque<>();

  /** Set when the consumer returned false; cleared by resumeTopic. */
  boolean saturated;

  /** A task to hand the consumer more of the inbox is on its way. */
  boolean drainScheduled;

  /** When a packet of the message in progress last arrived; 0 when none is in progress. */
  long partSinceNanos;

  volatile long inboxBytes;
  volatile long messagesIn;
  volatile long bytesIn;

  InboundTopic(TopicSpec spec) {
    this.spec = spec;
  }

  /** True when a new message must wait in the inbox rather than go straight to the consumer. */
  boolean mustQueue() {
    return saturated || !inbox.isEmpty();
  }

  void add(Buffer message, boolean direct) {
    inbox.addLast(new Waiting(message, direct));
    inboxBytes += message.length();
  }

  /** The next waiting message, or null. */
  Waiting poll() {
    Waiting message = inbox.pollFirst();
    if (message != null) {
      inboxBytes -= message.payload().length();
    }
    return message;
  }

  /** Over its bound: the socket stays paused until the consumer takes enough. */
  boolean overBound() {
    return inboxBytes + MESSAGE_OVERHEAD * inbox.size() > spec.inboxBytes();
  }

  void clear() {
    inbox.clear();
    inboxBytes = 0;
  }
}
