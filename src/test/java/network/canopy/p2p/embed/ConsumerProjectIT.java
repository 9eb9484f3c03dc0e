package network.canopy.p2p.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The artifacts as an outside team uses them: the plain jar (with its POM) and the test kit are
 * installed into an empty local repository, then a Maven project written here, depending on nothing
 * else of this tree, compiles and passes a vertx-junit5 test that starts three nodes with the kit
 * and broadcasts from one to the others. Third-party artifacts come from the build's own local
 * repository, read as Maven Central over file:// (no network; snapshots only from the temporary
 * repository).
 */
class ConsumerProjectIT {

  private static final long STEP_TIMEOUT_S = 300;

  @TempDir Path tmp;

  @Test
  void aSeparateProjectBuildsAndTestsThreeNodesWithTheInstalledArtifacts() throws Exception {
    Path repo = tmp.resolve("repo");
    Path settings = writeSettings();
    String version = System.getProperty("canopy.version");

    install(repo, version);

    Path project = writeConsumerProject(version);
    mvn(project, settings, repo, "consumer.log", "test");

    Path report =
        project.resolve("target/surefire-reports/TEST-com.example.relay.ThreeNodesTest.xml");
    assertThat(report).exists();
    assertThat(Files.readString(report))
        .contains("tests=\"1\"")
        .contains("failures=\"0\"")
        .contains("errors=\"0\"");
  }

  /**
   * What {@code mvn install} does with the plain jar, its POM and the test kit: copies in the local
   * repository layout (install:install-file would need a plugin the build itself never fetched).
   */
  private static void install(Path repo, String version) throws Exception {
    Path dir = repo.resolve("network/canopy/canopy-p2p/" + version);
    Files.createDirectories(dir);
    Files.copy(
        Path.of(System.getProperty("canopy.plainJar")),
        dir.resolve("canopy-p2p-" + version + ".jar"));
    Files.copy(
        Path.of(System.getProperty("canopy.pom")), dir.resolve("canopy-p2p-" + version + ".pom"));
    Files.copy(
        Path.of(System.getProperty("canopy.testkitJar")),
        dir.resolve("canopy-p2p-" + version + "-testkit.jar"));
  }

  /** Maven Central replaced by the build's local repository, read as a remote one (file://). */
  private Path writeSettings() throws Exception {
    String m2 = new File(System.getProperty("canopy.m2Repository")).toURI().toString();
    Path settings = tmp.resolve("settings.xml");
    // "central" redefined: every download comes from there. It has no checksum files: ignore them.
    String repository =
        """
        <id>central</id><url>%s</url>
        <releases><checksumPolicy>ignore</checksumPolicy></releases>
        <snapshots><enabled>false</enabled></snapshots>"""
            .formatted(m2);
    Files.writeString(
        settings,
        """
        <settings>
          <profiles>
            <profile>
              <id>build-repo</id>
              <repositories><repository>%s</repository></repositories>
              <pluginRepositories><pluginRepository>%1$s</pluginRepository></pluginRepositories>
            </profile>
          </profiles>
          <activeProfiles><activeProfile>build-repo</activeProfile></activeProfiles>
        </settings>
        """
            .formatted(repository));
    return settings;
  }

  private Path writeConsumerProject(String version) throws Exception {
    Path project = tmp.resolve("relay");
    Path test = project.resolve("src/test/java/com/example/relay");
    Files.createDirectories(test);
    Files.writeString(
        project.resolve("pom.xml"),
        """
        <project xmlns="http://maven.apache.org/POM/4.0.0">
          <modelVersion>4.0.0</modelVersion>
          <groupId>com.example</groupId>
          <artifactId>relay</artifactId>
          <version>1</version>
          <properties>
            <maven.compiler.release>21</maven.compiler.release>
            <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
          </properties>
          <dependencyManagement>
            <dependencies>
              <dependency><groupId>io.vertx</groupId><artifactId>vertx-stack-depchain</artifactId>
                <version>%s</version><type>pom</type><scope>import</scope></dependency>
              <dependency><groupId>org.junit</groupId><artifactId>junit-bom</artifactId>
                <version>%s</version><type>pom</type><scope>import</scope></dependency>
            </dependencies>
          </dependencyManagement>
          <dependencies>
            <dependency><groupId>network.canopy</groupId><artifactId>canopy-p2p</artifactId><version>%s</version></dependency>
            <dependency><groupId>network.canopy</groupId><artifactId>canopy-p2p</artifactId><version>%3$s</version>
              <classifier>testkit</classifier><scope>test</scope></dependency>
            <dependency><groupId>io.vertx</groupId><artifactId>vertx-junit5</artifactId><scope>test</scope></dependency>
            <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><scope>test</scope></dependency>
            <dependency><groupId>org.junit.platform</groupId><artifactId>junit-platform-launcher</artifactId><scope>test</scope></dependency>
          </dependencies>
          <build>
            <plugins>
              <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-resources-plugin</artifactId><version>3.5.0</version></plugin>
              <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-compiler-plugin</artifactId><version>3.16.0</version></plugin>
              <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-surefire-plugin</artifactId><version>3.6.1</version></plugin>
            </plugins>
          </build>
        </project>
        """
            .formatted(
                System.getProperty("canopy.vertxVersion"),
                System.getProperty("canopy.junitVersion"),
                version));
    Files.writeString(
        test.resolve("ThreeNodesTest.java"),
        """
        package com.example.relay;

        import io.vertx.core.Future;
        import io.vertx.core.buffer.Buffer;
        import io.vertx.core.eventbus.DeliveryOptions;
        import io.vertx.junit5.Checkpoint;
        import io.vertx.junit5.VertxExtension;
        import io.vertx.junit5.VertxTestContext;
        import network.canopy.p2p.embed.CanopyNode;
        import network.canopy.p2p.embed.testkit.CanopyNetworkExtension;
        import network.canopy.p2p.embed.testkit.CanopyTestNetwork;
        import org.junit.jupiter.api.Assertions;
        import org.junit.jupiter.api.Test;
        import org.junit.jupiter.api.extension.ExtendWith;
        import org.junit.jupiter.api.extension.RegisterExtension;

        @ExtendWith(VertxExtension.class)
        class ThreeNodesTest {

          @RegisterExtension
          CanopyNetworkExtension canopy = CanopyNetworkExtension.nodes(3);

          @Test
          void aBroadcastFromOneNodeReachesTheOtherTwo(VertxTestContext ctx) {
            CanopyTestNetwork net = canopy.network();
            Checkpoint received = ctx.checkpoint(2);
            Future<Void> listening = Future.succeededFuture();
            for (int i = 1; i < 3; i++) {
              String address = net.node(i).topicAddress("tx");
              listening = listening.compose(v -> net.vertx().eventBus().<Buffer>consumer(address,
                  msg -> ctx.verify(() -> {
                    Assertions.assertEquals("hello from 0", msg.body().toString());
                    Assertions.assertNotNull(msg.headers().get(CanopyNode.HEADER_MSG_ID));
                    received.flag();
                  })).completion());
            }
            net.vertx().eventBus().consumer(net.node(0).topicAddress("tx"),
                msg -> ctx.failNow(new AssertionError("node 0 got its own broadcast back")));
            listening
                .compose(v -> net.vertx().eventBus().request(net.node(0).broadcastAddress(),
                    Buffer.buffer("hello from 0"), new DeliveryOptions().addHeader(CanopyNode.HEADER_TOPIC, "tx")))
                .onFailure(ctx::failNow);
          }
        }
        """);
    return project;
  }

  /** Runs Maven in {@code dir} against the temporary repository; fails with the log's tail. */
  private void mvn(Path dir, Path settings, Path repo, String logName, String... args)
      throws Exception {
    String mvn = Path.of(System.getProperty("canopy.mavenHome"), "bin", "mvn").toString();
    List<String> command =
        new ArrayList<>(
            List.of(mvn, "-B", "-ntp", "-s", settings.toString(), "-Dmaven.repo.local=" + repo));
    command.addAll(List.of(args));
    Path log = tmp.resolve(logName);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process process = builder.start();
    if (!process.waitFor(STEP_TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "mvn "
              + args[args.length - 1]
              + " did not finish in "
              + STEP_TIMEOUT_S
              + " s:\n"
              + tail(log));
    }
    assertThat(process.exitValue())
        .as("mvn %s exit status; log:%n%s", String.join(" ", args), tail(log))
        .isZero();
  }

  private static String tail(Path log) throws Exception {
    List<String> lines = Files.readAllLines(log);
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
  }
}
