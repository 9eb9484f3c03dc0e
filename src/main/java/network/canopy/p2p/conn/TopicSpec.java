package network.canopy.p2p.conn;

import java.util.Objects;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.TopicInfo;

/**
 * This node's settings for one topic on a connection: wire id (1..239, or 255 for peer exchange),
 * name, send weight (priority 1..16), largest message, and byte bounds of its send queue and inbox.
 */
public record TopicSpec(
    int id, String name, int priority, long maxMessageSize, long sendQueueBytes, long inboxBytes) {

  public static final int MIN_PRIORITY = 1;
  public static final int MAX_PRIORITY = 16;

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    boolean application = id >= 1 && id <= PacketFormat.MAX_APPLICATION_TOPIC;
    if (!application && id != PacketFormat.PEER_EXCHANGE_TOPIC) {
      throw new IllegalArgumentException("topic id " + id + " is neither 1..239 nor 255");
    }
    if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
      throw new IllegalArgumentException(
          "topic " + id + ": priority " + priority + " outside 1..16");
    }
    if (id == PacketFormat.PEER_EXCHANGE_TOPIC
        && maxMessageSize != PacketFormat.MAX_PEER_EXCHANGE_MESSAGE) {
      // Topic 255 is never announced, so its limit is the protocol's, the same on both sides.
      throw new IllegalArgumentException(
          "topic 255: maxMessageSize must be " + PacketFormat.MAX_PEER_EXCHANGE_MESSAGE);
    }
    if (maxMessageSize < 0 || maxMessageSize > PacketFormat.MAX_MESSAGE_LENGTH) {
      throw new IllegalArgumentException(
          "topic "
              + id
              + ": maxMessageSize "
              + maxMessageSize
              + " outside 0.."
              + PacketFormat.MAX_MESSAGE_LENGTH);
    }
    if (sendQueueBytes <= 0 || inboxBytes <= 0) {
      throw new IllegalArgumentException("topic " + id + ": queue bounds must be positive");
    }
  }

  /** Peer exchange with its fixed 1 MiB message limit, lowest priority, 1 MiB queue and inbox. */
  public static TopicSpec peerExchangeDefault() {
    return new TopicSpec(
        PacketFormat.PEER_EXCHANGE_TOPIC,
        "peer_exchange",
        MIN_PRIORITY,
        PacketFormat.MAX_PEER_EXCHANGE_MESSAGE,
        1 << 20,
        1 << 20);
  }

  /** This topic as announced in the handshake's topic table. */
  public TopicInfo toTopicInfo(boolean gossip) {
    return new TopicInfo(id, name, gossip, maxMessageSize);
  }
}
