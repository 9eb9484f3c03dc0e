package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by fuzzing the config loader: a YAML alias used inside its own anchor makes a list that
 * contains itself, and printing it in a problem line blew up with a Jackson EncodeException instead
 * of a readable refusal. Such a value is now a problem naming its key.
 */
class SelfReferenceConfigTest {

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    ConfigLoaderTest.startVertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    ConfigLoaderTest.closeVertx();
  }

  @ParameterizedTest
  @ValueSource(strings = {"dataDir: &a [x, *a]\n", "p2p:\n  dial: &a [x, *a]\n",
      "topics: &a [*a]\n", "cluster:\n  members: &a [[*a]]\n"})
  void aValueThatContainsItselfIsRefusedByKey(String yaml) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, yaml);
    List<String> problems = ConfigLoaderTest.problems(ConfigSource.of(file, Map.of(), Map.of()));
    assertThat(problems).anySatisfy(line -> assertThat(line).contains("refers to itself"));
  }

  @Test
  void ordinaryAliasesStillWork() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, "network: &n canopy-test\np2p:\n  bannedPeers: []\neventBus:\n  prefix: *n\n");
    NodeConfig config = ConfigLoaderTest.load(ConfigSource.of(file, Map.of(), Map.of()));
    assertThat(config.eventBusPrefix()).isEqualTo("canopy-test");
  }
}
