package network.canopy.p2p.conn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import network.canopy.p2p.wire.PacketFormat;

/**
 * How a {@link MultiConn} runs: this node's topics (peer exchange, id 255, is added with defaults
 * when absent), the connection's send-queue bound, rate limits (0 = unlimited) and heartbeat.
 */
public record ConnSettings(
    List<TopicSpec> topics,
    long connSendQueueBytes,
    long sendRateBytesPerSec,
    long recvRateBytesPerSec,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs) {

  public ConnSettings {
    Set<Integer> ids = new HashSet<>();
    List<TopicSpec> all = new ArrayList<>(topics);
    for (TopicSpec t : all) {
      if (!ids.add(t.id())) {
        throw new IllegalArgumentException("topic id " + t.id() + " appears twice");
      }
    }
    if (!ids.contains(PacketFormat.PEER_EXCHANGE_TOPIC)) {
      all.add(TopicSpec.peerExchangeDefault());
    }
    topics = List.copyOf(all);
    if (connSendQueueBytes <= 0) {
      throw new IllegalArgumentException("connSendQueueBytes must be positive");
    }
    if (sendRateBytesPerSec < 0 || recvRateBytesPerSec < 0) {
      throw new IllegalArgumentException("rates must be 0 (unlimited) or positive");
    }
    if (heartbeatIntervalMs <= 0 || heartbeatTimeoutMs <= heartbeatIntervalMs) {
      throw new IllegalArgumentException(
          "need 0 < heartbeatIntervalMs < heartbeatTimeoutMs, got "
              + heartbeatIntervalMs
              + " and "
              + heartbeatTimeoutMs);
    }
  }

  /**
   * Defaults for everything but the topics: 64 MiB queued per connection, no rate limits, heartbeat
   * every 10 s, timeout 30 s.
   */
  public static ConnSettings of(List<TopicSpec> topics) {
    return new ConnSettings(topics, 64L << 20, 0, 0, 10_000, 30_000);
  }

  public Optional<TopicSpec> topic(int id) {
    return topics.stream().filter(t -> t.id() == id).findFirst();
  }

  public ConnSettings withRates(long sendBytesPerSec, long recvBytesPerSec) {
    return new ConnSettings(
        topics,
        connSendQueueBytes,
        sendBytesPerSec,
        recvBytesPerSec,
        heartbeatIntervalMs,
        heartbeatTimeoutMs);
  }

  public ConnSettings withHeartbeat(long intervalMs, long timeoutMs) {
    return new ConnSettings(
        topics,
        connSendQueueBytes,
        sendRateBytesPerSec,
        recvRateBytesPerSec,
        intervalMs,
        timeoutMs);
  }

  public ConnSettings withConnSendQueueBytes(long bytes) {
    return new ConnSettings(
        topics,
        bytes,
        sendRateBytesPerSec,
        recvRateBytesPerSec,
        heartbeatIntervalMs,
        heartbeatTimeoutMs);
  }
}
