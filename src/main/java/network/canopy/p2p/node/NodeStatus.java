package network.canopy.p2p.node;

import io.vertx.core.json.JsonObject;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.crypto.NodeIdentity;

/**
 * What a node says about itself on {@code /api/node} and {@code /health}. Owned and mutated by
 * {@link NodeVerticle} on its context only; others read it through the event bus as JSON.
 */
final class NodeStatus {

  private final NodeConfig config;
  private NodeIdentity identity;
  private String listenAddress;
  private String adminAddress;

  /**
   * Set from the book's context when an observed address is adopted: hence volatile, one object.
   */
  private volatile String[] external;

  private boolean up;

  NodeStatus(NodeConfig config) {
    this.config = config;
    this.listenAddress = config.p2p().listen().toString();
  }

  NodeIdentity identity() {
    return identity;
  }

  void identity(NodeIdentity identity) {
    this.identity = identity;
  }

  void listenAddress(String address) {
    this.listenAddress = address;
  }

  /**
   * The address the node advertises instead of its listen address, and whether "config" or
   * "observed" says so.
   */
  void external(String address, String source) {
    this.external = new String[] {address, source};
  }

  String adminAddress() {
    return adminAddress;
  }

  void adminAddress(String address) {
    this.adminAddress = address;
  }

  void markUp() {
    up = true;
  }

  void markDown() {
    up = false;
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("id", identity == null ? null : identity.id())
        .put("network", config.network())
        .put("chainId", config.chainId())
        .put("listen", listenAddress)
        .put("external", external == null ? null : external[0])
        .put("externalSource", external == null ? null : external[1])
        .put("admin", adminAddress)
        .put("version", BuildInfo.version())
        .put("status", up ? "UP" : "DOWN");
  }
}
