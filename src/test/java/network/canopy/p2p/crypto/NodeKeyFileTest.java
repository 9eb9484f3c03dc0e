package network.canopy.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeKeyFileTest {
  private static final String VALID_HEX =
      "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

  @TempDir Path temp;

  @Test
  void createsOwnerOnlyFileAndDirectory() throws IOException {
    Path dataDir = temp.resolve("nested/data");
    NodeIdentity identity = NodeKeyFile.loadOrCreate(dataDir);
    Path file = dataDir.resolve("node.key");
    assertThat(permissions(file)).isEqualTo("rw-------");
    assertThat(permissions(dataDir)).isEqualTo("rwx------");
    String content = Files.readString(file, StandardCharsets.US_ASCII);
    assertThat(content).matches("ed25519:[0-9a-f]{64}\n").hasSize(73);
    assertThat(NodeIdentity.fromSeed(Hex.decode(content.substring(8, 72)))).isEqualTo(identity);
    try (Stream<Path> files = Files.list(dataDir)) {
      assertThat(files).as("no temporary file left behind").containsExactly(file);
    }
  }

  @Test
  void reloadGivesTheSameIdentity() throws IOException {
    NodeIdentity created = NodeKeyFile.create(temp);
    assertThat(NodeKeyFile.load(temp).id()).isEqualTo(created.id());
    assertThat(NodeKeyFile.loadOrCreate(temp).id()).isEqualTo(created.id());
  }

  @Test
  void createRefusesToOverwrite() throws IOException {
    NodeKeyFile.create(temp);
    byte[] before = Files.readAllBytes(NodeKeyFile.path(temp));
    assertThatThrownBy(() -> NodeKeyFile.create(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("already exists");
    assertThat(Files.readAllBytes(NodeKeyFile.path(temp))).isEqualTo(before);
  }

  @Test
  void loadOfMissingFileNamesThePath() {
    assertThatThrownBy(() -> NodeKeyFile.load(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(NodeKeyFile.path(temp).toString())
        .hasMessageContaining("does not exist");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "\n",
        "ed25519:",
        "x25519:" + VALID_HEX + "\n",
        "ed25519:" + VALID_HEX + "00\n",
        "ed25519:" + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f6" + "\n",
        "ed25519:" + "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7fzz" + "\n",
        "ed25519:" + VALID_HEX + "\ned25519:" + VALID_HEX + "\n"
      })
  void corruptFileIsRefusedAndLeftUntouched(String content) throws IOException {
    Path file = writeKeyFile(content.getBytes(StandardCharsets.US_ASCII), "rw-------");
    assertThatThrownBy(() -> NodeKeyFile.loadOrCreate(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("corrupt");
    assertThat(Files.readAllBytes(file)).isEqualTo(content.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void oversizedOrBinaryFileIsRefused() throws IOException {
    byte[] big = new byte[4096];
    Path file = writeKeyFile(big, "rw-------");
    assertThatThrownBy(() -> NodeKeyFile.load(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("corrupt");
    assertThat(Files.readAllBytes(file)).isEqualTo(big);
    Files.write(file, new byte[73]);
    assertThatThrownBy(() -> NodeKeyFile.load(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("corrupt");
  }

  @ParameterizedTest
  @ValueSource(strings = {"rw-r--r--", "rw-r-----", "rw----r--", "rw--w----", "rw-rw-rw-"})
  void fileOpenToGroupOrOthersIsRefused(String permissions) throws IOException {
    byte[] content = ("ed25519:" + VALID_HEX + "\n").getBytes(StandardCharsets.US_ASCII);
    Path file = writeKeyFile(content, permissions);
    assertThatThrownBy(() -> NodeKeyFile.loadOrCreate(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessage(
            file
                + " has permissions "
                + permissions
                + "; it must be readable by its owner only (chmod 600)");
    assertThat(Files.readAllBytes(file)).isEqualTo(content);
    assertThat(permissions(file)).isEqualTo(permissions);
  }

  @Test
  void readOnlyOwnerFileAndTrailingCrLfAreAccepted() throws IOException {
    writeKeyFile(
        ("ed25519:" + VALID_HEX.toUpperCase() + "\r\n").getBytes(StandardCharsets.US_ASCII),
        "r--------");
    assertThat(NodeKeyFile.load(temp).id())
        .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  }

  @Test
  void directoryInPlaceOfTheFileIsRefused() throws IOException {
    Files.createDirectory(NodeKeyFile.path(temp));
    assertThatThrownBy(() -> NodeKeyFile.loadOrCreate(temp))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining("not a regular file");
  }

  private Path writeKeyFile(byte[] content, String permissions) throws IOException {
    Path file = NodeKeyFile.path(temp);
    Files.write(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
    return file;
  }

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }
}
