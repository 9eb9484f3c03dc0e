package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole validated, immutable configuration of one node. Built by {@link ConfigLoader} (or
 * {@link ConfigParser} from JSON); several nodes in one JVM each hold their own.
 */
public record NodeConfig(
    String network,
    long chainId,
    Path dataDir,
    P2pConfig p2p,
    List<TopicConfig> topics,
    AdminConfig admin,
    String eventBusPrefix,
    ClusterConfig cluster,
    GossipConfig gossip) {

  public NodeConfig {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(p2p, "p2p");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(eventBusPrefix, "eventBusPrefix");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(gossip, "gossip");
    topics = List.copyOf(topics);
  }

  /** The built-in defaults, without reading any file or environment. */
  public static NodeConfig defaults() {
    return ConfigParser.parse(ConfigDefaults.json());
  }

  public Optional<TopicConfig> topic(String name) {
    return topics.stream().filter(t -> t.name().equals(name)).findFirst();
  }

  public Optional<TopicConfig> topicById(int id) {
    return topics.stream().filter(t -> t.id() == id).findFirst();
  }

  /**
   * The effective configuration in the same layout as the config file (keys as documented), with
   * the admin token redacted; safe to show.
   */
  public JsonObject toJson() {
    List<Object> topicJson = new ArrayList<>(topics.size());
    topics.forEach(t -> topicJson.add(t.toJson()));
    return new JsonObject()
        .put("network", network)
        .put("chainId", chainId)
        .put("dataDir", dataDir.toString())
        .put("p2p", p2p.toJson())
        .put("topics", new JsonArray(topicJson))
        .put("admin", admin.toJson())
        .put("eventBus", new JsonObject().put("prefix", eventBusPrefix))
        .put("cluster", cluster.toJson())
        .put("gossip", gossip.toJson());
  }
}
