package network.canopy.p2p.bench;

/**
 * A node's event-bus addresses and headers exactly as the public contract (README, "Event bus")
 * names them. Spelled out here rather than borrowed from the node's code, so that the bench only
 * depends on what applications may rely on.
 */
record NodeAddresses(String prefix) {

  /** Header naming the remote peer: the target on send, the sender on receive. */
  static final String HEADER_PEER = "p2p-peer";

  /** Header naming the topic of a message. */
  static final String HEADER_TOPIC = "p2p-topic";

  /** Request/reply: hands one message to the node for one peer. */
  String send() {
    return prefix + ".send";
  }

  /** Where the node publishes each message received on topic {@code name}. */
  String topic(String name) {
    return prefix + ".topic." + name;
  }
}
