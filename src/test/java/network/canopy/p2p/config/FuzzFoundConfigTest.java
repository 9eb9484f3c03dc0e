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
 * Configs the configLoader fuzz target found throwing out of the loader instead of being refused
 * with readable problems: a YAML alias used inside its own anchor (a list that contains itself, a
 * Jackson EncodeException when printed), and a mapping with a null key inside a list (an NPE when
 * printed), and a number as a key of a topic (a ClassCastException). Each is now a problem naming
 * its key.
 */
class FuzzFoundConfigTest {

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
  @ValueSource(
      strings = {
        "dataDir: &a [x, *a]\n",
        "p2p:\n  dial: &a [x, *a]\n",
        "topics: &a [*a]\n",
        "cluster:\n  members: &a [[*a]]\n"
      })
  void aValueThatContainsItselfIsRefusedByKey(String yaml) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, yaml);
    List<String> problems = ConfigLoaderTest.problems(ConfigSource.of(file, Map.of(), Map.of()));
    assertThat(problems).anySatisfy(line -> assertThat(line).contains("refers to itself"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "cluster:\n  port: [{~: 1}]\n",
        "p2p:\n  dial: [{~: x}]\n",
        "topics:\n  - {~: 1}\n",
        "admin: [{~: 1}]\n",
        "topics:\n  - {1: x, name: a, id: 5}\n"
      })
  void aMappingWithANullKeyIsRefusedByKey(String yaml) throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(file, yaml);
    List<String> problems = ConfigLoaderTest.problems(ConfigSource.of(file, Map.of(), Map.of()));
    assertThat(problems).isNotEmpty().allSatisfy(line -> assertThat(line).contains(": "));
  }

  @Test
  void ordinaryAliasesStillWork() throws Exception {
    Path file = dir.resolve("node.yaml");
    Files.writeString(
        file, "network: &n canopy-test\np2p:\n  bannedPeers: []\neventBus:\n  prefix: *n\n");
    NodeConfig config = ConfigLoaderTest.load(ConfigSource.of(file, Map.of(), Map.of()));
    assertThat(config.eventBusPrefix()).isEqualTo("canopy-test");
  }
}
