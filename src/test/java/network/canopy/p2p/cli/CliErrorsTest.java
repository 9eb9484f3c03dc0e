package network.canopy.p2p.cli;

import static network.canopy.p2p.cli.KeyCommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a new user reads when something is wrong: the key or address at fault, in words, no Java
 * class names.
 */
class CliErrorsTest {

  @TempDir Path dir;

  @Test
  void anUnknownCommandListsTheCommands() {
    var result = run("keygne", "--data-dir", dir.toString());
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("unknown command 'keygne'")
        .contains("run, ")
        .contains("keygen")
        .contains("id")
        .contains("sim")
        .doesNotContain("Usage:");
  }

  @Test
  void anUnknownFlagIsAConfigError() {
    var result = run("run", "--listn", "127.0.0.1:0");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err()).startsWith("config error: --listn: unknown option of run");
  }

  @Test
  void aPortInUseNamesTheKeyAndTheAddress() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String address = "127.0.0.1:" + taken.getLocalPort();
      Path defaults = Files.writeString(dir.resolve("defaults.yaml"), "# defaults only\n");
      var result =
          run(
              "run",
              "--config",
              defaults.toString(),
              "--data-dir",
              dir.toString(),
              "--listen",
              "127.0.0.1:0",
              "--admin",
              address);
      assertThat(result.code()).isEqualTo(1);
      assertThat(result.err())
          .contains("cannot start: admin.listen " + address + ": ")
          .containsIgnoringCase("address already in use");
    }
  }

  @Test
  void aDataDirThatIsAFileIsSaidInWords() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    var result = run("keygen", "--data-dir", file.toString());
    assertThat(result.code()).isNotZero();
    assertThat(result.err())
        .contains(file.toString())
        .contains("exists and is not a directory")
        .doesNotContain("Exception");
  }

  @Test
  void anAdminHostNameIsRefusedForWhatItIsNotForAMissingToken() {
    var result = run("run", "--data-dir", dir.toString(), "--admin", "no-such-host.invalid:9080");
    assertThat(result.code()).isEqualTo(2);
    assertThat(result.err())
        .contains("config error: admin.listen: host 'no-such-host.invalid' is not an IP address")
        .doesNotContain("admin.token");
  }
}
