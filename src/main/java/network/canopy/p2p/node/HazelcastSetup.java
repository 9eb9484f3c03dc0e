package network.canopy.p2p.node;

import com.hazelcast.config.AdvancedNetworkConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ServerSocketEndpointConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import network.canopy.p2p.config.ClusterConfig;

/**
 * The Hazelcast configuration of a clustered node: TCP-IP join with the configured members on the
 * configured interface only, no multicast, no auto-detection, no phone-home, no endpoint for
 * Hazelcast clients. Hazelcast's own default would multicast on every interface, which a node on
 * the internet must never do. That is as far as the open-source edition goes: it has no TLS and no
 * member authentication, so {@code cluster.tls} protects the event bus's own connections, not
 * Hazelcast's.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {}

  /**
   * A cluster manager for {@code cluster}; Vert.x starts it when the clustered instance is built.
   */
  public static HazelcastClusterManager clusterManager(ClusterConfig cluster) {
    return new HazelcastClusterManager(hazelcastConfig(cluster));
  }

  static Config hazelcastConfig(ClusterConfig cluster) {
    // loadConfig() keeps the maps and multimaps Vert.x relies on (subscriptions, HA info).
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(cluster.name());
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    // Connections to other members leave from cluster.host too, not from whatever route the OS
    // picks.
    config.setProperty("hazelcast.socket.client.bind.any", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // The advanced network serves only the endpoints it is given: the member protocol, and no
    // client endpoint — with the plain network, the member port also serves Hazelcast clients,
    // which
    // could then read and write the cluster's maps without joining it.
    AdvancedNetworkConfig network = config.getAdvancedNetworkConfig().setEnabled(true);
    ServerSocketEndpointConfig member = new ServerSocketEndpointConfig();
    member.setPort(cluster.port()).setPortAutoIncrement(true);
    member.getInterfaces().setEnabled(true).clear().addInterface(cluster.host());
    network.setMemberEndpointConfig(member);
    JoinConfig join = network.getJoin();
    join.getAutoDetectionConfig().setEnabled(false);
    join.getMulticastConfig().setEnabled(false);
    join.getAwsConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    return config;
  }
}
