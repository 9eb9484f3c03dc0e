package network.canopy.p2p.embed;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.node.NodeVerticle;

/**
 * Public API: a running embedded node — its id, bound ports, event-bus addresses — and the way to
 * stop it. Safe to use from any thread.
 */
public final class NodeHandle {

  private final Vertx vertx;
  private final NodeVerticle node;
  private final String deployment;
  private final Addresses addresses;
  private final String id;
  private final String listenAddress;
  private final String adminAddress;
  private Future<Void> closed;

  NodeHandle(Vertx vertx, NodeVerticle node, String deployment, String prefix) {
    this.vertx = vertx;
    this.node = node;
    this.deployment = deployment;
    this.addresses = new Addresses(prefix);
    this.id = node.nodeId();
    this.listenAddress = node.listenAddress();
    this.adminAddress = node.adminAddress();
  }

  /** The node id: lowercase hex of its Ed25519 public key. */
  public String id() {
    return id;
  }

  /** The P2P address actually bound, {@code HOST:PORT}. */
  public String listenAddress() {
    return listenAddress;
  }

  public int listenPort() {
    return port(listenAddress);
  }

  /** The admin HTTP address actually bound, {@code HOST:PORT}. */
  public String adminAddress() {
    return adminAddress;
  }

  public int adminPort() {
    return port(adminAddress);
  }

  /** {@code ID@HOST:PORT}: what another node dials to reach this one. */
  public String peerAddress() {
    return id + "@" + listenAddress;
  }

  /** The event-bus prefix every address of this node starts with. */
  public String prefix() {
    return addresses.prefix();
  }

  /**
   * Where the node publishes each message received on {@code topic} ({@code
   * <prefix>.topic.<topic>}).
   */
  public String topicAddress(String topic) {
    return addresses.topic(topic);
  }

  /**
   * Request/reply: gossip a {@code Buffer} on the topic named by header {@link
   * CanopyNode#HEADER_TOPIC}.
   */
  public String broadcastAddress() {
    return addresses.broadcast();
  }

  /** Request/reply: send a {@code Buffer} to the peer and topic named by the headers. */
  public String sendAddress() {
    return addresses.send();
  }

  /** Request/reply: the connected peers as a JSON array. */
  public String peersAddress() {
    return addresses.peers();
  }

  /** Request/reply: replace the must-connect set with a JSON array of {@code ID@HOST:PORT}. */
  public String mustConnectAddress() {
    return addresses.mustConnect();
  }

  /** Where the node publishes peer events (connected, disconnected, banned) as JSON. */
  public String eventsAddress() {
    return addresses.events();
  }

  /**
   * Closes the connection to a peer (it hears a goodbye), as {@code POST /api/disconnect} does; a
   * {@code p2p.dial} or must-connect peer is redialled. Fails with code 404 when not connected.
   */
  public Future<Void> disconnect(String peerId) {
    return vertx.eventBus().request(addresses.disconnect(), peerId).mapEmpty();
  }

  /**
   * Stops the node: goodbyes to every peer, its verticles undeployed in order, the peer book saved.
   * Calling it again returns the same future.
   */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closed = node.shutdown().compose(v -> vertx.undeploy(deployment));
    }
    return closed;
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
