package network.canopy.p2p.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Where a node's config comes from, besides the built-in defaults: a YAML file, the environment
 * (System.getenv() in production, a plain map in tests) and command-line overrides (key → text).
 *
 * @param configFile the YAML file; a missing file is an error only when {@code configFileExplicit}
 * @param configFileExplicit true when the user named the file (--config)
 */
public record ConfigSource(
    Path configFile,
    boolean configFileExplicit,
    Map<String, String> env,
    Map<String, String> overrides) {

  /** Read when no --config is given, relative to the working directory; may be absent. */
  public static final Path DEFAULT_CONFIG_FILE = Path.of("conf", "config.yaml");

  public ConfigSource {
    if (configFile == null) {
      configFile = DEFAULT_CONFIG_FILE;
      configFileExplicit = false;
    }
    env = Map.copyOf(Objects.requireNonNull(env, "env"));
    overrides =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(overrides, "overrides")));
  }

  /**
   * @param configFileOrNull the --config value; null means the default file, if it exists
   */
  public static ConfigSource of(
      Path configFileOrNull, Map<String, String> env, Map<String, String> overrides) {
    return new ConfigSource(configFileOrNull, configFileOrNull != null, env, overrides);
  }

  /** What the CLI uses: the process environment, plus its overrides (see CommandLineOverrides). */
  public static ConfigSource fromProcess(Path configFileOrNull, Map<String, String> overrides) {
    return of(configFileOrNull, System.getenv(), overrides);
  }

  /**
   * Values are left out: the environment and overrides may hold secrets such as the admin token.
   */
  @Override
  public String toString() {
    return "ConfigSource[configFile="
        + configFile
        + ", explicit="
        + configFileExplicit
        + ", env="
        + env.size()
        + " vars, overrides="
        + overrides.keySet()
        + "]";
  }
}
