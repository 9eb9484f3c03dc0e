package network.canopy.p2p.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.config.yaml.YamlProcessor;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Builds a node's {@link NodeConfig} with vertx-config, lowest to highest precedence: built-in
 * defaults, the YAML file, P2P_* environment variables, command-line overrides. Fails with a {@link
 * ConfigException} listing every problem, each line naming its key.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  public static Future<NodeConfig> load(Vertx vertx, ConfigSource source) {
    Problems problems = new Problems();
    JsonObject env = StringLayers.fromEnv(source.env(), problems);
    JsonObject overrides = StringLayers.fromOverrides(source.overrides(), problems);
    return readFile(vertx, source, problems)
        .compose(file -> retrieve(vertx, options(file, env, overrides)))
        .transform(ar -> finish(vertx, ar, source, problems));
  }

  /**
   * The built-in defaults overlaid with {@code key → text} settings (keys and values as for {@code
   * --set}), without any file or environment: how an embedding application configures a node in
   * code.
   *
   * @throws ConfigException listing every problem, one line per problem, each naming its key
   */
  public static NodeConfig fromSettings(Map<String, String> settings) {
    Problems problems = new Problems();
    JsonObject layer = StringLayers.fromOverrides(settings, problems, "NodeOptions");
    JsonObject merged = ConfigDefaults.json().mergeIn(layer, true);
    NodeConfig config = ConfigParser.parse(merged, problems);
    problems.throwIfAny();
    return config;
  }

  /**
   * The file's settings, read once: {@code --config <(...)} is a pipe, whose content only the first
   * reader gets. A missing explicit file is reported, but loading goes on so the other problems
   * show too; a file with no YAML content (comments only) simply means "defaults".
   */
  private static Future<JsonObject> readFile(Vertx vertx, ConfigSource source, Problems problems) {
    String path = source.configFile().toString();
    return vertx
        .fileSystem()
        .exists(path)
        .compose(
            exists -> {
              if (!exists) {
                if (source.configFileExplicit()) {
                  problems.add("--config", path + ": file not found");
                }
                return Future.succeededFuture(new JsonObject());
              }
              return vertx
                  .fileSystem()
                  .readFile(path)
                  .compose(
                      content ->
                          hasYamlContent(content.toString())
                              ? new YamlProcessor()
                                  .process(vertx, null, content)
                                  .map(
                                      yaml -> {
                                        YamlOddities.cut(
                                            yaml,
                                            problems); // before the merge copies it: a cyclic value
                                        // cannot be copied
                                        return yaml;
                                      })
                              : Future.succeededFuture(new JsonObject()));
            });
  }

  private static boolean hasYamlContent(String text) {
    return text.lines()
        .map(String::strip)
        .anyMatch(l -> !l.isEmpty() && !l.startsWith("#") && !l.equals("---") && !l.equals("..."));
  }

  private static ConfigRetrieverOptions options(
      JsonObject file, JsonObject env, JsonObject overrides) {
    // Scan period 0: the config is read once; a running node does not reconfigure itself.
    return new ConfigRetrieverOptions()
        .setScanPeriod(0)
        .addStore(json(ConfigDefaults.json()))
        .addStore(json(file))
        .addStore(json(env))
        .addStore(json(overrides));
  }

  private static ConfigStoreOptions json(JsonObject config) {
    return new ConfigStoreOptions().setType("json").setConfig(config);
  }

  private static Future<JsonObject> retrieve(Vertx vertx, ConfigRetrieverOptions options) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    return retriever.getConfig().andThen(ar -> retriever.close());
  }

  private static Future<NodeConfig> finish(
      Vertx vertx, AsyncResult<JsonObject> merged, ConfigSource source, Problems problems) {
    if (merged.failed()) {
      // Only reading or decoding the file can fail; without it there is no merged config to check.
      problems.add(source.configFile().toString(), FileErrors.describe(merged.cause()));
      return Future.failedFuture(new ConfigException(problems.lines()));
    }
    NodeConfig config = ConfigParser.parse(merged.result(), problems);
    if (!problems.lines().isEmpty() || !config.cluster().tlsOn()) {
      return problems.lines().isEmpty()
          ? Future.succeededFuture(config)
          : Future.failedFuture(new ConfigException(problems.lines()));
    }
    // The TLS files are read here, off the event loop, so a bad one stops the node before it joins.
    return vertx.executeBlocking(
        () -> {
          ClusterTlsFiles.check(config.cluster().tls(), problems);
          problems.throwIfAny();
          return config;
        });
  }
}
