package network.canopy.p2p.cli;

import network.canopy.p2p.gossipsim.GossipSimCommand;
import network.canopy.p2p.node.BuildInfo;
import network.canopy.p2p.sim.SimCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the fat jar: dispatches to the {@code run} (default), {@code keygen}, {@code id},
 * {@code sim}, {@code gossip-sim} and {@code cluster-cert} subcommands. Exit codes: 0 success, 1
 * runtime failure, 2 bad usage or bad configuration.
 */
@Command(
    name = "canopy-p2p",
    mixinStandardHelpOptions = true,
    versionProvider = BuildInfo.class,
    description = "Canopy peer-to-peer node.",
    subcommands = {
      RunCommand.class,
      KeygenCommand.class,
      IdCommand.class,
      SimCommand.class,
      GossipSimCommand.class,
      ClusterCertCommand.class
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the CLI and returns the exit code instead of exiting, so tests can call it. */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setParameterExceptionHandler(Main::badUsage);
    if (args.length > 0 && !args[0].startsWith("-") && !cli.getSubcommands().containsKey(args[0])) {
      System.err.println(
          "unknown command '"
              + args[0]
              + "'; commands: "
              + String.join(", ", cli.getSubcommands().keySet())
              + " (run is the default; COMMAND --help for each)");
      return 2;
    }
    if (needsDefaultRun(cli, args)) {
      String[] withRun = new String[args.length + 1];
      withRun[0] = "run";
      System.arraycopy(args, 0, withRun, 1, args.length);
      args = withRun;
    }
    return cli.execute(args);
  }

  /** A flag that does not exist or lacks its value: one {@code config error:} line, status 2. */
  private static int badUsage(CommandLine.ParameterException e, String[] args) {
    String command = e.getCommandLine().getCommandName();
    if (e instanceof CommandLine.UnmatchedArgumentException u) {
      u.getUnmatched()
          .forEach(
              arg ->
                  System.err.println(
                      "config error: "
                          + arg
                          + ": unknown "
                          + (arg.startsWith("-") ? "option" : "argument")
                          + " of "
                          + command
                          + " (see "
                          + command
                          + " --help)"));
    } else {
      System.err.println("config error: " + e.getMessage() + " (see " + command + " --help)");
    }
    return 2;
  }

  /**
   * {@code run} is the default: anything that does not start with a subcommand or a top-level flag.
   */
  private static boolean needsDefaultRun(CommandLine cli, String[] args) {
    if (args.length == 0) {
      return true;
    }
    String first = args[0];
    boolean topLevelFlag =
        first.equals("--help")
            || first.equals("-h")
            || first.equals("--version")
            || first.equals("-V");
    return !topLevelFlag && !cli.getSubcommands().containsKey(first);
  }
}
