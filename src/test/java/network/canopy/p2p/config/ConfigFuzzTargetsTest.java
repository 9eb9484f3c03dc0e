package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.fuzz.FuzzStats;

/**
 * Coverage-guided fuzzing (Jazzer) of the config loader's steps without its file I/O: the YAML
 * store's own processor, the environment and --set layers, the deep merge over the defaults that
 * vertx-config performs, then validation. A config is either accepted or refused with problems that
 * each name a key; nothing else may come out (no exception, no hang).
 */
class ConfigFuzzTargetsTest {

  private static final FuzzStats STATS = FuzzStats.of("configLoader");
  private static final Vertx VERTX = Vertx.vertx();
  private static final YamlProcessor YAML = new YamlProcessor();

  @FuzzTest(maxDuration = "5s")
  void configLoader(FuzzedDataProvider data) throws Exception {
    STATS.run(
        () -> {
          String yaml = FuzzedConfigText.yaml(data);
          Map<String, String> env = FuzzedConfigText.env(data);
          Map<String, String> overrides = FuzzedConfigText.overrides(data);
          Problems problems = new Problems();
          JsonObject fileLayer;
          try {
            fileLayer =
                YAML.process(VERTX, new JsonObject(), Buffer.buffer(yaml))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
          } catch (ExecutionException unreadable) {
            // The loader reports this as one line naming the file.
            assertThat(FileErrors.describe(unreadable.getCause())).isNotBlank();
            return;
          }
          JsonObject merged =
              ConfigDefaults.json()
                  .mergeIn(fileLayer == null ? new JsonObject() : fileLayer, true)
                  .mergeIn(StringLayers.fromEnv(env, new Problems()), true)
                  .mergeIn(StringLayers.fromOverrides(overrides, problems), true);
          try {
            NodeConfig config = ConfigParser.parse(merged, problems);
            problems.throwIfAny();
            assertThat(config.toJson()).isNotNull();
          } catch (ConfigException refused) {
            assertThat(refused.problems())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains(":"));
          }
        });
  }
}
