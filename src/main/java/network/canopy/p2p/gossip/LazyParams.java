package network.canopy.p2p.gossip;

/**
 * Tuning of the routing core (docs/GOSSIP.md "Parameters"). The node uses {@link #DEFAULTS}; the
 * simulator may vary them.
 *
 * @param graftTimeoutMs how long after the first announcement of a missing message a node waits for
 *     the tree to deliver it before it GRAFTs the announcer (then again per further announcer)
 * @param maxGraftTimeoutMs the most the graft timeout grows to as it adapts to the topic's lag
 *     between announcements and payloads, unless three times that lag is more
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
   * timeout. Payloads are kept 15 s: a GRAFT comes after an IHAVE and at most a few graft timeouts
   * (each at most 2 s), and a longer memory only holds heap — with 1 MiB messages every node kept
   * about 60 MiB, and 128 nodes in one JVM ran out of a 2 GiB heap.
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
