package network.canopy.p2p.gossip;

/**
 * What the routing core needs of the network around it: send a payload or a control message to a
 * peer, and hear about a peer's abuse. The node implements it over connections; the gossip
 * simulator over a virtual clock and modelled links. Calls must not block.
 */
public interface GossipLinks<P, M> {

  /** Queues the full payload of a message of {@code topicId} to {@code peer}. */
  void push(P peer, int topicId, M payload);

  /** Queues a lazy-push control message (IHAVE, GRAFT, PRUNE) to {@code peer}. */
  void control(P peer, LazyControl message);

  /** {@code peer} broke a lazy-push rule (docs/PROTOCOL.md §13.3): the node charges reputation. */
  default void misbehaved(P peer, GossipAbuse abuse, String detail) {}
}
