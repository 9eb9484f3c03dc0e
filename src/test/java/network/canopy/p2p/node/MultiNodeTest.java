package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import network.canopy.p2p.crypto.NodeKeyFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several nodes share one JVM and one Vert.x instance, kept apart by ports, data dirs and prefixes. */
class MultiNodeTest {

  @TempDir
  Path root;

  @Test
  void threeNodesRunSideBySideAndStopIndependently() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      String[] deployments = new String[3];
      int[] ports = new int[3];
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        Path dir = root.resolve("n" + i);
        deployments[i] = nodes.start(nodes.config(dir, "node" + i, Map.of()));
        ports[i] = nodes.adminPort("node" + i);
        var node = nodes.get(ports[i], "/api/node").bodyAsJsonObject();
        assertThat(node.getString("id")).isEqualTo(NodeKeyFile.load(dir).id());
        ids.add(node.getString("id"));
      }
      assertThat(ids).hasSize(3);
      assertThat(Set.of(ports[0], ports[1], ports[2])).hasSize(3);

      nodes.stop(deployments[1]);

      assertThat(nodes.get(ports[0], "/health").statusCode()).isEqualTo(200);
      assertThat(nodes.get(ports[2], "/health").statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> nodes.get(ports[1], "/health"))
          .hasRootCauseInstanceOf(java.net.ConnectException.class);
    }
  }
}
