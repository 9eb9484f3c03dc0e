package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.List;
import java.util.UUID;
import network.canopy.p2p.config.ClusterConfig;
import network.canopy.p2p.config.ClusterTlsConfig;
import org.junit.jupiter.api.Test;

/**
 * The cluster's Hazelcast serves members only: a Hazelcast client (which could read and write the
 * cluster's maps without joining) is refused at the member port, while a second member still joins.
 */
class HazelcastSetupTest {

  @Test
  void membersJoinButHazelcastClientsAreRefused() throws Exception {
    int port = SecondJvm.freePort();
    ClusterConfig cluster =
        new ClusterConfig(
            true,
            "hz-setup-" + UUID.randomUUID(),
            "127.0.0.1",
            port,
            List.of("127.0.0.1:" + port),
            ClusterTlsConfig.OFF);
    HazelcastInstance first =
        Hazelcast.newHazelcastInstance(HazelcastSetup.hazelcastConfig(cluster));
    HazelcastInstance second = null;
    try {
      second = Hazelcast.newHazelcastInstance(HazelcastSetup.hazelcastConfig(cluster));
      assertThat(second.getCluster().getMembers()).hasSize(2);

      ClientConfig client = new ClientConfig().setClusterName(cluster.name());
      client.getNetworkConfig().addAddress("127.0.0.1:" + port);
      client
          .getConnectionStrategyConfig()
          .getConnectionRetryConfig()
          .setClusterConnectTimeoutMillis(3_000);
      assertThatThrownBy(() -> HazelcastClient.newHazelcastClient(client).shutdown())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Unable to connect");
    } finally {
      if (second != null) {
        second.shutdown();
      }
      first.shutdown();
    }
  }
}
