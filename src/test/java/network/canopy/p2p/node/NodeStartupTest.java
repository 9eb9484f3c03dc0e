package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that cannot start safely refuses to, with a message naming the cause. */
class NodeStartupTest {

  @TempDir Path dataDir;

  @Test
  void corruptKeyFileStopsTheNodeAndIsLeftUntouched() throws Exception {
    Path key = dataDir.resolve("node.key");
    Files.writeString(key, "this is not a key\n");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    try (TestNodes nodes = new TestNodes()) {
      var config = nodes.config(dataDir, "corrupt", Map.of());
      assertThatThrownBy(() -> nodes.start(config)).hasMessageContaining(key.toString());
    }
    assertThat(Files.readString(key)).isEqualTo("this is not a key\n");
  }

  @Test
  void adminPortInUseStopsTheNode() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(dataDir.resolve("a"), "first", Map.of()));
      int taken = nodes.adminPort("first");
      var clash =
          nodes.config(
              dataDir.resolve("b"), "second", Map.of("admin.listen", "127.0.0.1:" + taken));
      assertThatThrownBy(() -> nodes.start(clash)).hasMessageContaining("Address already in use");
    }
  }
}
