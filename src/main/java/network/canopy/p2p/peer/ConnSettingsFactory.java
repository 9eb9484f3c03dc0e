package network.canopy.p2p.peer;

import java.util.List;
import network.canopy.p2p.config.NodeConfig;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.ConnSettings;
import network.canopy.p2p.conn.TopicSpec;

/** Derives the per-connection MultiConn settings from the node's configuration. */
final class ConnSettingsFactory {

  /** A topic's send queue holds at least this much, so small topics can still buffer a burst. */
  private static final long MIN_TOPIC_QUEUE = 1L << 20;

  private ConnSettingsFactory() {}

  static ConnSettings from(NodeConfig config) {
    P2pConfig p2p = config.p2p();
    List<TopicSpec> topics =
        config.topics().stream()
            .map(
                t ->
                    new TopicSpec(
                        t.id(),
                        t.name(),
                        t.priority(),
                        t.maxMessageSize(),
                        Math.min(
                            p2p.sendQueueBytes(),
                            Math.max(MIN_TOPIC_QUEUE, 2 * t.maxMessageSize())),
                        p2p.inboxBytes()))
            .toList();
    return new ConnSettings(
        topics,
        p2p.sendQueueBytes(),
        p2p.sendRateBytesPerSec(),
        p2p.recvRateBytesPerSec(),
        p2p.heartbeatIntervalMs(),
        p2p.heartbeatTimeoutMs());
  }
}
