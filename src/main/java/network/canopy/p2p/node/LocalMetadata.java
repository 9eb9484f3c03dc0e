package network.canopy.p2p.node;

import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.TopicInfo;

/** The metadata this node signs into its handshakes, from its config and advertised address. */
final class LocalMetadata {

  private LocalMetadata() {}

  static NodeMetadata of(NodeConfig config, HostPort advertised) {
    return new NodeMetadata(
        HandshakeCredentials.MAX_VERSION,
        config.network(),
        config.chainId(),
        advertised.toString(),
        config.topics().stream()
            .map(t -> new TopicInfo(t.id(), t.name(), t.gossip(), t.maxMessageSize()))
            .toList(),
        config.p2p().capabilities());
  }
}
