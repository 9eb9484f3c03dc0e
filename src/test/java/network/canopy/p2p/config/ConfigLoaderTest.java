package network.canopy.p2p.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  static final Path SHIPPED = Path.of("conf", "config.yaml");
  static Vertx vertx;

  @TempDir Path dir;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  static NodeConfig load(ConfigSource source) throws Exception {
    return ConfigLoader.load(vertx, source)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, SECONDS);
  }

  static List<String> problems(ConfigSource source) throws Exception {
    try {
      NodeConfig unexpected = load(source);
      throw new AssertionError("expected a ConfigException, got " + unexpected);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ConfigException.class);
      return ((ConfigException) e.getCause()).problems();
    }
  }

  Path file(String yaml) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  /** No file (a default path that does not exist), so only defaults, env and overrides count. */
  ConfigSource noFile(Map<String, String> env, Map<String, String> overrides) {
    return new ConfigSource(dir.resolve("absent.yaml"), false, env, overrides);
  }

  @Test
  void eachLayerOverridesTheOneBelow() throws Exception {
    Path f = file("network: from-file\np2p:\n  maxInbound: 11\n  listen: 127.0.0.1:1111\n");
    Map<String, String> env =
        Map.of(
            "P2P_NETWORK",
            "from-env",
            "P2P_P2P_MAXINBOUND",
            "12",
            "P2P_P2P_LISTEN",
            "127.0.0.1:2222");
    Map<String, String> flags =
        Map.of("network", "from-flag", "p2p.maxInbound", "13", "p2p.listen", "127.0.0.1:3333");

    NodeConfig defaults = load(noFile(Map.of(), Map.of()));
    assertThat(
            List.of(
                defaults.network(),
                defaults.p2p().maxInbound(),
                defaults.p2p().listen().toString()))
        .containsExactly("canopy-local", 21, "0.0.0.0:9001");

    NodeConfig fromFile = load(ConfigSource.of(f, Map.of(), Map.of()));
    assertThat(
            List.of(
                fromFile.network(),
                fromFile.p2p().maxInbound(),
                fromFile.p2p().listen().toString()))
        .containsExactly("from-file", 11, "127.0.0.1:1111");

    NodeConfig fromEnv = load(ConfigSource.of(f, env, Map.of()));
    assertThat(
            List.of(
                fromEnv.network(), fromEnv.p2p().maxInbound(), fromEnv.p2p().listen().toString()))
        .containsExactly("from-env", 12, "127.0.0.1:2222");

    NodeConfig fromFlags = load(ConfigSource.of(f, env, flags));
    assertThat(
            List.of(
                fromFlags.network(),
                fromFlags.p2p().maxInbound(),
                fromFlags.p2p().listen().toString()))
        .containsExactly("from-flag", 13, "127.0.0.1:3333");
  }

  @Test
  void lowerLayersStayVisibleWhereHigherOnesAreSilent() throws Exception {
    Path f = file("p2p:\n  maxInbound: 11\n  maxOutbound: 3\n");
    NodeConfig c =
        load(
            ConfigSource.of(
                f,
                Map.of("P2P_NETWORK", "from-env", "P2P_P2P_MAXOUTBOUND", "4"),
                Map.of("p2p.listen", "127.0.0.1:3333")));
    assertThat(c.p2p().maxInbound()).isEqualTo(11); // file
    assertThat(c.p2p().maxOutbound()).isEqualTo(4); // env over file
    assertThat(c.network()).isEqualTo("from-env"); // env
    assertThat(c.p2p().listen().port()).isEqualTo(3333); // flag
    assertThat(c.p2p().maxPerIp()).isEqualTo(4); // default, under a section the file set
    assertThat(c.eventBusPrefix()).isEqualTo("p2p"); // default
  }

  @Test
  void envNamesAreDerivedFromKeysAndListsAreCommaSeparated() throws Exception {
    NodeConfig c =
        load(
            noFile(
                Map.of(
                    "P2P_DATADIR", "/x",
                    "P2P_EVENTBUS_PREFIX", "n1",
                    "P2P_P2P_BANNEDCOUNTRIES", "de, fr",
                    "P2P_CLUSTER_ENABLED", "true",
                    "P2P_TOPICS", "[{\"name\":\"votes\",\"id\":9}]",
                    "HOME", "/root"),
                Map.of()));
    assertThat(c.dataDir()).isEqualTo(Path.of("/x"));
    assertThat(c.eventBusPrefix()).isEqualTo("n1");
    assertThat(c.p2p().bannedCountries()).containsExactly("DE", "FR");
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.topics()).extracting(TopicConfig::name).containsExactly("votes");
    assertThat(c.p2p().maxInbound()).isEqualTo(21);
  }

  @Test
  void aP2pVariableThatIsNoKeyIsAnErrorWithTheNearestVariable() throws Exception {
    assertThat(
            problems(
                noFile(
                    Map.of("P2P_P2P_MAXINBOND", "10", "P2P_COLOUR", "red", "HOME", "/root"),
                    Map.of())))
        .containsExactly(
            "P2P_COLOUR: unknown environment variable: no config key is spelled so",
            "P2P_P2P_MAXINBOND: unknown environment variable: no config key is spelled so"
                + " (did you mean P2P_P2P_MAXINBOUND?)");
  }

  @Test
  void aConfigFromAPipeIsReadOnceSoItsSettingsAndItsErrorsCount() throws Exception {
    for (String[] yamlAndCheck :
        new String[][] {{"p2p:\n  maxInbound: 3\n", "ok"}, {"p2p: [unclosed\n", "error"}}) {
      Path fifo = dir.resolve("pipe-" + yamlAndCheck[1]);
      assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
      Thread writer =
          new Thread(
              () -> {
                try {
                  Files.writeString(fifo, yamlAndCheck[0]); // one writer, once: like <(...)
                } catch (Exception e) {
                  throw new RuntimeException(e);
                }
              });
      writer.start();
      ConfigSource source = ConfigSource.of(fifo, Map.of(), Map.of());
      if (yamlAndCheck[1].equals("ok")) {
        assertThat(load(source).p2p().maxInbound()).isEqualTo(3);
      } else {
        assertThat(problems(source)).singleElement().asString().contains("invalid YAML");
      }
      writer.join(10_000);
    }
  }

  @Test
  void unparsableIntFromEnvNamesKeyAndValue() throws Exception {
    assertThat(problems(noFile(Map.of("P2P_P2P_MAXINBOUND", "ten"), Map.of())))
        .containsExactly("p2p.maxInbound: cannot parse 'ten' as an integer");
  }

  @Test
  void unknownKeyInFileIsAnErrorNamingTheDottedKey() throws Exception {
    Path f = file("p2p:\n  maxInbund: 5\ncolour: red\n");
    assertThat(problems(ConfigSource.of(f, Map.of(), Map.of())))
        .containsExactly(
            "p2p.maxInbund: unknown key (did you mean p2p.maxInbound?)", "colour: unknown key");
  }

  @Test
  void unknownSetKeyIsAnErrorNamingTheKey() throws Exception {
    assertThat(problems(noFile(Map.of(), Map.of("p2p.colour", "red", "network", "n"))))
        .containsExactly("p2p.colour: unknown key (from --set)");
  }

  @Test
  void missingExplicitFileIsAnErrorNamingIt() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThat(problems(ConfigSource.of(missing, Map.of(), Map.of())))
        .containsExactly("--config: " + missing + ": file not found");
  }

  @Test
  void missingExplicitFileIsReportedAlongsideOtherProblems() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    assertThat(problems(ConfigSource.of(missing, Map.of("P2P_CHAINID", "x"), Map.of("bogus", "1"))))
        .containsExactly(
            "bogus: unknown key (from --set)",
            "--config: " + missing + ": file not found",
            "chainId: cannot parse 'x' as an integer");
  }

  @Test
  void missingDefaultFileMeansDefaults() throws Exception {
    assertThat(load(noFile(Map.of(), Map.of()))).isEqualTo(NodeConfig.defaults());
  }

  @Test
  void yamlSyntaxErrorIsOneLineNamingTheFile() throws Exception {
    Path f = file("p2p:\n  maxInbound: 5\n bad: : [\n");
    List<String> problems = problems(ConfigSource.of(f, Map.of(), Map.of()));
    assertThat(problems)
        .singleElement()
        .asString()
        .startsWith(f + ": invalid YAML at line 3, column 2: ")
        .doesNotContain("\n");
  }

  @Test
  void yamlThatIsNotAMappingIsOneLineNamingTheFile() throws Exception {
    Path f = file("- a\n- b\n");
    assertThat(problems(ConfigSource.of(f, Map.of(), Map.of())))
        .containsExactly(
            f
                + ": the top level must be a mapping of keys (key: value), not a list or a single value");
  }

  @Test
  void emptyFileMeansDefaults() throws Exception {
    assertThat(load(ConfigSource.of(file(""), Map.of(), Map.of())))
        .isEqualTo(NodeConfig.defaults());
  }

  @Test
  void fileWithOnlyCommentsMeansDefaults() throws Exception {
    Path f = file("# nothing set here\n\n   # indented comment\n---\n");
    assertThat(load(ConfigSource.of(f, Map.of(), Map.of()))).isEqualTo(NodeConfig.defaults());
  }

  @Test
  void shippedConfigFileLoadsToExactlyTheDefaults() throws Exception {
    assertThat(load(ConfigSource.of(SHIPPED, Map.of(), Map.of()))).isEqualTo(NodeConfig.defaults());
  }

  @Test
  void shippedConfigFileSpellsOutEveryDefault() throws Exception {
    ConfigRetriever retriever =
        ConfigRetriever.create(
            vertx,
            new ConfigRetrieverOptions()
                .setScanPeriod(0)
                .addStore(
                    new ConfigStoreOptions()
                        .setType("file")
                        .setFormat("yaml")
                        .setConfig(new JsonObject().put("path", SHIPPED.toString()))));
    try {
      JsonObject raw =
          retriever.getConfig().toCompletionStage().toCompletableFuture().get(10, SECONDS);
      assertThat(raw).isEqualTo(ConfigDefaults.json());
    } finally {
      retriever.close();
    }
  }

  @Test
  void flagsHelperFeedsTheLoader() throws Exception {
    String peer = PeerAddressTest.ID + "@10.0.0.9:9001";
    Map<String, String> overrides =
        new CommandLineOverrides()
            .listen("127.0.0.1:0")
            .cluster(true)
            .dial(List.of(peer))
            .set(List.of("p2p.maxPerIp=2", "p2p.bannedCountries=de,fr"))
            .toMap();
    NodeConfig c = load(noFile(Map.of("P2P_P2P_MAXPERIP", "9"), overrides));
    assertThat(c.p2p().listen()).isEqualTo(new HostPort("127.0.0.1", 0));
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.p2p().dial()).extracting(PeerAddress::toString).containsExactly(peer);
    assertThat(c.p2p().maxPerIp()).isEqualTo(2);
    assertThat(c.p2p().bannedCountries()).containsExactly("DE", "FR");
  }
}
