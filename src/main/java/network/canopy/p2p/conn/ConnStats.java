package network.canopy.p2p.conn;

import java.util.List;

/**
 * A snapshot of one connection's counters (see {@link MultiConn#stats()}); fields read at slightly
 * different instants, each one exact. Byte counts are payload bytes unless named wire bytes.
 *
 * @param queuedBytes accounted bytes waiting in all send queues (payload + 64 per message)
 * @param lastRttNanos last PING→PONG round trip, or -1 before the first
 * @param reassemblyBytes bytes held now for messages still arriving
 * @param inboxBytes payload bytes held now in inboxes (messages a saturated consumer has not taken)
 * @param reassemblyPeakBytes the most reassemblyBytes has ever been
 * @param inboxPeakBytes the most inboxBytes has ever been (their sum bounds what the peer made us
 *     hold)
 * @param readPaused true while the socket is paused (inbox over its bound or receive rate exceeded)
 */
public record ConnStats(
    List<TopicStats> topics,
    long queuedBytes,
    long lastRttNanos,
    long reassemblyBytes,
    long reassemblyPeakBytes,
    long inboxBytes,
    long inboxPeakBytes,
    boolean readPaused,
    long framesOut,
    long wireBytesOut,
    long framesIn,
    long wireBytesIn) {

  public ConnStats {
    topics = List.copyOf(topics);
  }

  /**
   * One topic's counters.
   *
   * @param refusedSends sends refused with TOO_LARGE or QUEUE_FULL
   * @param droppedSends messages accepted (QUEUED) but never sent: still queued when the connection
   *     closed, or pushed out by gossip's drop-oldest policy
   */
  public record TopicStats(
      int id,
      String name,
      long messagesIn,
      long bytesIn,
      long messagesOut,
      long bytesOut,
      long queuedBytes,
      long inboxBytes,
      long refusedSends,
      long droppedSends) {}

  /** The counters of topic {@code id}, or null if it has none. */
  public TopicStats topic(int id) {
    return topics.stream().filter(t -> t.id() == id).findFirst().orElse(null);
  }
}
