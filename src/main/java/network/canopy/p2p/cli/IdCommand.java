package network.canopy.p2p.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import network.canopy.p2p.crypto.NodeKeyFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code id}: prints the node id of an existing {@code DIR/node.key}; never creates one. */
@Command(
    name = "id",
    mixinStandardHelpOptions = true,
    description = "Print the node id of the key in DIR/node.key.")
final class IdCommand implements Callable<Integer> {

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "./data",
      description = "Directory holding node.key (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Override
  public Integer call() {
    try {
      System.out.println(NodeKeyFile.load(dataDir).id());
      return 0;
    } catch (Exception e) {
      System.err.println("error: " + e.getMessage());
      return 1;
    }
  }
}
