package network.canopy.p2p.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.crypto.NodeKeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygen}: creates {@code DIR/node.key} (owner-only) and prints the new node id. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    description = "Create DIR/node.key and print the node id. Never overwrites an existing key.")
final class KeygenCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description = "Directory to hold node.key (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Override
  public Integer call() {
    try {
      NodeIdentity identity = NodeKeyFile.create(dataDir);
      System.out.println(identity.id());
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
