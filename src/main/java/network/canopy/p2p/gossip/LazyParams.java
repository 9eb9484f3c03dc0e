package network.canopy.p2p.gossip;

/**
 * Tuning of the routing core (docs/GOSSIP.md "Parameters"). The node uses {@link #DEFAULTS}; the
 * simulator may vary them.
 *
 * @param graftTimeoutMs the least a node waits, after the first announcement of a missing message,
 *     for the tree to deliver it before it GRAFTs the announcer (then again per further announcer);
 *     the wait adapts to the topic's lag between announcements and payloads
 * @param maxGraftTimeoutMs the most the graft timeout grows to, unless three times the learned lag
 *     is more; also the wait before any lag is learned
 * @param maxGrafts most GRAFTs a node sends for one missing message (announcers in turn, then again
 *     from the first, each wait twice the last)
 * @param announceDelayMs how long announcements to one peer are gathered into one IHAVE (15 at
 *     most)
 * @param storeBytes payloads kept to answer GRAFTs, in bytes; {@code storeMillis} how long
 * @param maxMissing most messages announced but not yet received that a node tracks
 * @param intervalMs the window of the announcement and request bounds below
 * @param maxAnnouncedPerInterval ids one peer may announce per window before it costs reputation
 * @param maxRequestedPerInterval ids one peer may request per window before it costs reputation
 * @param seenEntries ids remembered to tell new from duplicate; {@code seenMillis} how long
 */
public record LazyParams(
    long graftTimeoutMs,
    long maxGraftTimeoutMs,
    int maxGrafts,
    long announceDelayMs,
    long storeBytes,
    long storeMillis,
    int maxMissing,
    long intervalMs,
    int maxAnnouncedPerInterval,
    int maxRequestedPerInterval,
    int seenEntries,
    long seenMillis) {

  /**
   * The graft timeout tops out at 2 s: in the simulator (1,000 nodes, 1 MiB, WAN links) 5 s gave
   * the same receptions (1.08) with twice the time to all, since a broken tree waits the whole
   * timeout (it grows past 2 s only for a topic whose payloads lag their announcements by more than
   * 0.7 s, such as 16 MiB blocks). Payloads are kept 15 s: a GRAFT comes after an IHAVE and a few
   * graft timeouts, and a longer memory only holds heap — with 1 MiB messages and 60 s every node
   * kept about 60 MiB, and 128 nodes in one JVM ran out of a 2 GiB heap (with payloads kept four
   * graft timeouts when that was longer, gossip-128 ran out of a 3 GiB heap; the cause not proven).
   */
  public static final LazyParams DEFAULTS =
      new LazyParams(
          250, 2_000, 8, 10, 256L << 20, 15_000, 10_000, 1_000, 20_000, 2_000, 100_000, 120_000);

  /** The same parameters with at most {@code bytes} of stored payloads. */
  public LazyParams withStoreBytes(long bytes) {
    return new LazyParams(
        graftTimeoutMs,
        maxGraftTimeoutMs,
        maxGrafts,
        announceDelayMs,
        bytes,
        storeMillis,
        maxMissing,
        intervalMs,
        maxAnnouncedPerInterval,
        maxRequestedPerInterval,
        seenEntries,
        seenMillis);
  }

  /** The same parameters with another seen-cache bound (the node's {@code gossip.seenCache*}). */
  public LazyParams withSeenCache(int entries, long millis) {
    return new LazyParams(
        graftTimeoutMs,
        maxGraftTimeoutMs,
        maxGrafts,
        announceDelayMs,
        storeBytes,
        storeMillis,
        maxMissing,
        intervalMs,
        maxAnnouncedPerInterval,
        maxRequestedPerInterval,
        entries,
        millis);
  }
}
