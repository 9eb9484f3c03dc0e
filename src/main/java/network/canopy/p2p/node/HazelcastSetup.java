package network.canopy.p2p.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import network.canopy.p2p.config.ClusterConfig;

/**
 * The Hazelcast configuration of a clustered node: TCP-IP join with the configured members on the
 * configured interface only, no multicast, no auto-detection, no phone-home. Hazelcast's own
 * default would multicast on every interface, which a node on the internet must never do. That is
 * as far as the open-source edition goes: it has no TLS and no member authentication, so
 * {@code cluster.tls} protects the event bus's own connections, not Hazelcast's.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  /** A cluster manager for {@code cluster}; Vert.x starts it when the clustered instance is built. */
  public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    // loadConfig() keeps the maps and multimaps Vert.x relies on (subscriptions, HA info).
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Connections to other members leave from cluster.host too, not from whatever route the OS picks.
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true);
    network.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }
}
