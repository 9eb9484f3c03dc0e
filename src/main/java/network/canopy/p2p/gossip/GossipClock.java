package network.canopy.p2p.gossip;

/**
 * Time as the routing core sees it: the node's wall clock and Vert.x timers, or the simulator's
 * virtual clock. A scheduled task runs later, never inside {@link #schedule}.
 */
public interface GossipClock {

  long nowMillis();

  /** Runs {@code task} after {@code delayMillis}; the returned handle cancels it. */
  Runnable schedule(long delayMillis, Runnable task);
}
