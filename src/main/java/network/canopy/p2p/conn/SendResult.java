package network.canopy.p2p.conn;

/**
 * What {@link MultiConn#send} decided, synchronously. Only QUEUED means the message will be sent.
 */
public enum SendResult {
  /**
   * Accepted: it goes out after the topic's earlier messages, unless the connection closes first.
   */
  QUEUED,
  /** The topic is not in the peer's table or not in ours (or is the control topic 0). */
  UNKNOWN_TOPIC,
  /** Larger than the smaller of our and the peer's limit for the topic. */
  TOO_LARGE,
  /** The topic's or the connection's send queue is at its byte bound; try again later. */
  QUEUE_FULL,
  /** The node's memory budget ({@code p2p.memoryBudgetBytes}) is spent; try again later. */
  BUDGET_EXHAUSTED,
  /** The connection is closed. */
  CLOSED,
  /**
   * A direct send the peer cannot tell from gossip: it lacks {@code direct/1} and gossips the topic
   * (docs/PROTOCOL.md §15). Nothing was queued.
   */
  UNSUPPORTED
}
