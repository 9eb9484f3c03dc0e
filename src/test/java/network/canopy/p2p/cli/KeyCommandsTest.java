package network.canopy.p2p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code keygen} and {@code id}: create once, print the same id afterwards, never overwrite. */
class KeyCommandsTest {

  @TempDir Path dir;

  @Test
  void keygenCreatesAKeyAndIdPrintsItsId() throws Exception {
    Result keygen = run("keygen", "--data-dir", dir.toString());
    assertThat(keygen.code).isZero();
    assertThat(keygen.out.strip()).matches("[0-9a-f]{64}");
    assertThat(Files.exists(dir.resolve("node.key"))).isTrue();

    Result id = run("id", "--data-dir", dir.toString());
    assertThat(id.code).isZero();
    assertThat(id.out.strip()).isEqualTo(keygen.out.strip());
  }

  @Test
  void keygenNeverOverwritesAnExistingKey() throws Exception {
    String first = run("keygen", "--data-dir", dir.toString()).out.strip();
    byte[] before = Files.readAllBytes(dir.resolve("node.key"));
    Result again = run("keygen", "--data-dir", dir.toString());
    assertThat(again.code).isNotZero();
    assertThat(again.err).contains("node.key");
    assertThat(Files.readAllBytes(dir.resolve("node.key"))).isEqualTo(before);
    assertThat(run("id", "--data-dir", dir.toString()).out.strip()).isEqualTo(first);
  }

  @Test
  void idWithoutAKeyFailsAndCreatesNothing() throws Exception {
    Result id = run("id", "--data-dir", dir.toString());
    assertThat(id.code).isNotZero();
    assertThat(id.err).contains("node.key");
    assertThat(Files.exists(dir.resolve("node.key"))).isFalse();
  }

  @Test
  void everyCommandHasHelp() throws Exception {
    for (String command : new String[] {"run", "keygen", "id"}) {
      Result help = run(command, "--help");
      assertThat(help.code).isZero();
      assertThat(help.out).contains("Usage:").contains(command).contains("--data-dir");
    }
    assertThat(run("--help").out).contains("run").contains("keygen").contains("id");
  }

  record Result(int code, String out, String err) {}

  static synchronized Result run(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Result(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }
}
