package network.canopy.p2p.config;

/**
 * How a gossip topic spreads (docs/GOSSIP.md): {@code flood} sends every new message to every peer;
 * {@code lazy} pushes the payload along a self-repairing tree and announces its id to the others.
 */
public enum GossipMode {
  FLOOD,
  LAZY;

  /** The config spelling: {@code flood} or {@code lazy}. */
  public String spelling() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
