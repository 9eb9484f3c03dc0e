package network.canopy.p2p.bench;

/**
 * How long and how often each figure is measured. Quick keeps the whole suite under two minutes on
 * a 2-core machine; full under ten.
 *
 * @param warmupMs unmeasured time a stream or handshake load runs before the first measured run
 * @param runMs length of one measured run of a rate
 * @param runs measured runs per figure and side (the median is reported)
 * @param rttWarmup unmeasured round trips before the measured ones
 * @param rttCount round trips per measured run
 * @param handshakeClients concurrent clients of the handshake figure
 * @param mixedRunMs length of one run of mixed-priority (each of "with" and "without")
 * @param mixedBulkBytes the large low-priority message of mixed-priority
 * @param p2pConnectMs how long the two nodes get to connect before p2p is reported unavailable
 * @param gossipMessages broadcasts per measured run of gossip-N (a tenth of that warms up)
 */
record Plan(
    String name,
    long warmupMs,
    long runMs,
    int runs,
    int rttWarmup,
    int rttCount,
    int handshakeClients,
    long mixedRunMs,
    int mixedBulkBytes,
    long p2pConnectMs,
    int gossipMessages) {

  static final int MIB = 1024 * 1024;

  static Plan quick() {
    return new Plan("quick", 3_000, 1_000, 3, 3_000, 3_000, 16, 2_000, 16 * MIB, 10_000, 300);
  }

  /** The same plan with {@code messages} broadcasts per gossip run ({@code --gossip-messages}). */
  Plan withGossipMessages(int messages) {
    return new Plan(
        name,
        warmupMs,
        runMs,
        runs,
        rttWarmup,
        rttCount,
        handshakeClients,
        mixedRunMs,
        mixedBulkBytes,
        p2pConnectMs,
        messages);
  }

  static Plan full() {
    return new Plan("full", 3_000, 3_000, 5, 10_000, 10_000, 32, 4_000, 64 * MIB, 10_000, 1_000);
  }
}
