package network.canopy.p2p.book;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kill -9 in the middle of saves: a separate process saves a growing book continuously and is
 * killed at a random moment, again and again (system property {@code canopy.bookKills}, default
 * 50). After every kill the book loads, is never set aside, and holds at least what the last
 * completed save held.
 */
class PeerBookCrashTest {

  private static final int KILLS = Integer.getInteger("canopy.bookKills", 50);

  @TempDir Path dir;

  @Test
  void theBookAlwaysLoadsAfterAKillAtARandomMomentOfSaving() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = writerClasspath();
    int atLeast = 0;
    int midWrite = 0;
    for (int kill = 1; kill <= KILLS; kill++) {
      Process writer =
          new ProcessBuilder(
                  java,
                  "-Xmx128m",
                  "-XX:TieredStopAtLevel=1",
                  "-cp",
                  classpath,
                  BookWriterProcess.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        while (line != null && line.startsWith("SLF4J")) {
          line = out.readLine(); // the writer has no logging backend on its short classpath
        }
        assertThat(line)
            .as("kill %d: the writer starts from a loadable book", kill)
            .startsWith("ready ");
        atLeast = Integer.parseInt(line.substring(6));
        // The writer now saves in a tight loop; land the kill anywhere inside the next saves.
        Thread.sleep(ThreadLocalRandom.current().nextInt(1, 40));
      } finally {
        writer.destroyForcibly();
        assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
      }
      if (Files.exists(dir.resolve("peerbook.json.tmp"))) {
        midWrite++; // killed between creating the temporary file and renaming it
      }
      PeerBookStore.Loaded loaded = new PeerBookStore(dir).load();
      System.out.printf(
          "kill %d: %d entries, %d kills mid-write so far%n",
          kill, loaded.entries().size(), midWrite);
      assertThat(loaded.setAside()).as("kill %d: nothing set aside", kill).isEmpty();
      assertThat(loaded.skipped()).isZero();
      assertThat(loaded.entries())
          .as("kill %d: no completed save lost", kill)
          .hasSizeGreaterThanOrEqualTo(atLeast);
    }
    assertThat(midWrite)
        .as("some kills landed inside a save, or the test proves nothing")
        .isPositive();
  }

  /**
   * Only what the writer touches (the project, vertx-core's JSON and buffers), so it starts fast.
   */
  private static String writerClasspath() {
    String full =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return Arrays.stream(full.split(File.pathSeparator))
        .filter(
            e ->
                e.endsWith("classes")
                    || e.contains("vertx-core")
                    || e.contains("netty-buffer")
                    || e.contains("netty-common")
                    || e.contains("jackson-core")
                    || e.contains("slf4j-api"))
        .collect(Collectors.joining(File.pathSeparator));
  }
}
