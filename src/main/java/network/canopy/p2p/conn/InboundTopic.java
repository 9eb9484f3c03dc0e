package network.canopy.p2p.conn;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;

/**
 * One topic's receive side: whether its consumer is saturated, and the inbox of complete messages
 * waiting for it, bounded by {@code inboxBytes} counting each message as its payload + 64 bytes.
 * An empty inbox always takes one message. Context-confined; counters are read cross-thread.
 */
final class InboundTopic {
  static final long MESSAGE_OVERHEAD = 64;

  final TopicSpec spec;
  private final ArrayDeque<Buffer> inbox = new ArrayDeque<>();
  /** Set when the consumer returned false; cleared by resumeTopic. */
  boolean saturated;
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

  void add(Buffer message) {
    inbox.addLast(message);
    inboxBytes += message.length();
  }

  /** The next waiting message, or null. */
  Buffer poll() {
    Buffer message = inbox.pollFirst();
    if (message != null) {
      inboxBytes -= message.length();
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
