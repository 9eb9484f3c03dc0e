package network.canopy.p2p.gossip;

/** Lazy-push rules a peer can break (docs/PROTOCOL.md §13.3); the peer layer prices each. */
public enum GossipAbuse {
  /** More announced ids in one interval than {@link LazyParams#maxAnnouncedPerInterval}. */
  ANNOUNCE_FLOOD,
  /** More requested ids (GRAFT) in one interval than {@link LazyParams#maxRequestedPerInterval}. */
  REQUEST_FLOOD,
  /** Announced a message, was asked for it, and did not deliver it within the graft timeout. */
  BROKEN_PROMISE
}
