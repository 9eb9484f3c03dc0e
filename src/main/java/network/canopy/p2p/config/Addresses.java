package network.canopy.p2p.config;

/**
 * Event-bus addresses and header names of one node, all derived from its configured prefix so that
 * several nodes can share one Vert.x instance (or one cluster) without hearing each other.
 */
public final class Addresses {

  /** Header naming the remote peer (sender on receive, target on send). */
  public static final String HEADER_PEER = "p2p-peer";

  /** Header naming the topic of a message. */
  public static final String HEADER_TOPIC = "p2p-topic";

  /** Header carrying the gossip message id (hex). */
  public static final String HEADER_MSG_ID = "p2p-msg-id";

  /** Per topic, the node's sequence number of a delivered message; acknowledged on {@link #ack}. */
  public static final String HEADER_SEQ = "p2p-seq";

  /**
   * Send-request header: how long (ms) a send to a full queue may wait for room, overriding {@code
   * p2p.sendWaitMs}; 0 = refuse at once.
   */
  public static final String HEADER_WAIT_MS = "p2p-wait-ms";

  /** Internal dial-request header: a feeler dial, which proves an address and disconnects. */
  public static final String HEADER_FEELER = "p2p-feeler";

  private final String prefix;

  public Addresses(String prefix) {
    this.prefix = prefix;
  }

  public String prefix() {
    return prefix;
  }

  /** Where each received message of a topic is published. */
  public String topic(String name) {
    return prefix + ".topic." + name;
  }

  /**
   * Where a topic with {@code validate: true} asks the application's validator about each new
   * gossip message (request/reply: {@code accept}, {@code reject} or {@code ignore}).
   */
  public String validate(String topicName) {
    return prefix + ".validate." + topicName;
  }

  /** Applications report a peer's messages here: JSON {@code {"peer","kind","points","reason"}}. */
  public String report() {
    return prefix + ".report";
  }

  /** Internal, node-local: operator bans (ban, unban, list), for {@code /api/ban*}. */
  public String bans() {
    return prefix + ".internal.bans";
  }

  /**
   * Cluster-wide: an application acknowledges the messages of topic {@code name} it has finished by
   * sending the {@link #HEADER_SEQ} of the last one (README, "Flow control").
   */
  public String ack(String name) {
    return topic(name) + ".ack";
  }

  public String send() {
    return prefix + ".send";
  }

  public String broadcast() {
    return prefix + ".broadcast";
  }

  public String peers() {
    return prefix + ".peers";
  }

  public String mustConnect() {
    return prefix + ".must-connect";
  }

  public String events() {
    return prefix + ".events";
  }

  /** Internal, node-local: the node's status (id, addresses, listening) as JSON. */
  public String nodeStatus() {
    return prefix + ".internal.node-status";
  }

  /**
   * Internal, node-local: dial requests to the DialerVerticle. With header {@link #HEADER_FEELER}
   * set, the dialer completes the handshake and disconnects instead of admitting the peer.
   */
  public String dial() {
    return prefix + ".internal.dial";
  }

  /** Internal, node-local: the peer book's entries as JSON, for {@code /api/book}. */
  public String book() {
    return prefix + ".internal.book";
  }

  /**
   * Internal, node-local: close the connection to a peer (body: its id), for {@code
   * /api/disconnect}.
   */
  public String disconnect() {
    return prefix + ".internal.disconnect";
  }

  /** Internal, node-local: the memory budget's use as JSON, for the dashboard. */
  public String memory() {
    return prefix + ".internal.memory";
  }

  /** Internal, node-local: recent received messages of a topic, for {@code /api/recent}. */
  public String recent() {
    return prefix + ".internal.recent";
  }

  /** Internal, node-local: configured topics with their counters, for {@code /api/topics}. */
  public String topics() {
    return prefix + ".internal.topics";
  }
}
