package network.canopy.p2p.wire;

/** One entry of a node's topic table as announced in its handshake metadata. */
public record TopicInfo(int id, String name, boolean gossip, long maxMessageSize) {}
