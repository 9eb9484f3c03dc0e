package network.canopy.p2p.wire;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The signed description a node gives of itself in the handshake: protocol version, network, chain
 * id, advertised listen address, topic table and (from version 2) capabilities. Encoding:
 * docs/PROTOCOL.md §4.3.
 */
public record NodeMetadata(
    int protocolVersion,
    String network,
    long chainId,
    String listenAddress,
    List<TopicInfo> topics,
    Set<String> capabilities) {

  public NodeMetadata {
    topics = List.copyOf(topics);
    capabilities = Set.copyOf(new TreeSet<>(capabilities));
    if (protocolVersion < 2 && !capabilities.isEmpty()) {
      throw new IllegalArgumentException("version 1 metadata carries no capabilities");
    }
  }

  /** Version 1 metadata: no capability list. */
  public NodeMetadata(
      int protocolVersion,
      String network,
      long chainId,
      String listenAddress,
      List<TopicInfo> topics) {
    this(protocolVersion, network, chainId, listenAddress, topics, Set.of());
  }

  /** The same metadata as spoken at {@code version}: version 1 drops the capability list. */
  public NodeMetadata atVersion(int version) {
    return new NodeMetadata(
        version, network, chainId, listenAddress, topics, version >= 2 ? capabilities : Set.of());
  }

  public Optional<TopicInfo> topic(int id) {
    return topics.stream().filter(t -> t.id() == id).findFirst();
  }

  public byte[] encode() {
    ByteWriter w =
        new ByteWriter()
            .u16(protocolVersion)
            .str8(network)
            .u64(chainId)
            .str8(listenAddress)
            .u8(topics.size());
    for (TopicInfo t : topics) {
      w.u8(t.id()).u8(t.gossip() ? 1 : 0).u64(t.maxMessageSize()).str8(t.name());
    }
    if (protocolVersion >= 2) {
      w.u8(capabilities.size());
      for (String c : new TreeSet<>(capabilities)) {
        w.str8(c);
      }
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
    Set<String> capabilities = version >= 2 ? decodeCapabilities(r) : Set.of();
    r.expectEnd("metadata");
    return new NodeMetadata(version, network, chainId, listen, topics, capabilities);
  }

  private static Set<String> decodeCapabilities(ByteReader r) throws WireFormatException {
    int count = r.u8("metadata.capabilityCount");
    if (count > Capability.MAX_COUNT) {
      throw new WireFormatException(
          "metadata.capabilityCount: " + count + " over " + Capability.MAX_COUNT);
    }
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < count; i++) {
      String name = r.str8("metadata.capability");
      if (!Capability.validName(name)) {
        throw new WireFormatException("metadata.capability: invalid name '" + name + "'");
      }
      if (!names.add(name)) {
        throw new WireFormatException("metadata.capability: duplicate '" + name + "'");
      }
    }
    return names;
  }
}
