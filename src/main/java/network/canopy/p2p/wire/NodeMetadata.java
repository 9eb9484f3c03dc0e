package network.canopy.p2p.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signed description a node gives of itself in the handshake: protocol version, network, chain
 * id, advertised listen address and topic table. Encoding: docs/PROTOCOL.md, "Node metadata".
 */
public record NodeMetadata(int protocolVersion, String network, long chainId, String listenAddress,
    List<TopicInfo> topics) {

  public NodeMetadata {
    topics = List.copyOf(topics);
  }

  public Optional<TopicInfo> topic(int id) {
    return topics.stream().filter(t -> t.id() == id).findFirst();
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter()
        .u16(protocolVersion)
        .str8(network)
        .u64(chainId)
        .str8(listenAddress)
        .u8(topics.size());
    for (TopicInfo t : topics) {
      w.u8(t.id()).u8(t.gossip() ? 1 : 0).u64(t.maxMessageSize()).str8(t.name());
    }
    return w.toByteArray();
  }

  public static NodeMetadata decode(byte[] bytes) throws WireFormatException {
    ByteReader r = new ByteReader(bytes);
    int version = r.u16("metadata.protocolVersion");
    String network = r.str8("metadata.network");
    long chainId = r.u64("metadata.chainId");
    String listen = r.str8("metadata.listenAddress");
    int count = r.u8("metadata.topicCount");
    List<TopicInfo> topics = new ArrayList<>(count);
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < count; i++) {
      int id = r.u8("metadata.topic.id");
      int flags = r.u8("metadata.topic.flags");
      long max = r.u64("metadata.topic.maxMessageSize");
      String name = r.str8("metadata.topic.name");
      if ((flags & ~1) != 0) {
        throw new WireFormatException("metadata.topic.flags: unknown bits " + flags);
      }
      if (max < 0) {
        throw new WireFormatException("metadata.topic.maxMessageSize: over 2^63-1");
      }
      if (!ids.add(id)) {
        throw new WireFormatException("metadata.topic.id: duplicate id " + id);
      }
      topics.add(new TopicInfo(id, name, (flags & 1) != 0, max));
    }
    r.expectEnd("metadata");
    return new NodeMetadata(version, network, chainId, listen, topics);
  }
}
