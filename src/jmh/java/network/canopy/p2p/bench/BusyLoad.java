package network.canopy.p2p.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The competing load of {@code bench.sh --contention N}: N threads spinning in a separate JVM, as a
 * validator's execution and consensus clients would beside the node. {@link #start} launches it;
 * the child exits by itself when the bench process that started it ends, however it ends.
 */
final class BusyLoad implements AutoCloseable {

  private final Process process;

  private BusyLoad(Process process) {
    this.process = process;
  }

  /** Starts a JVM with {@code threads} busy threads; returns once they spin. */
  static BusyLoad start(int threads) throws IOException, InterruptedException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                BusyLoad.class.getName(),
                Integer.toString(threads),
                Long.toString(ProcessHandle.current().pid())));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    Thread.sleep(500); // let the JVM start and the threads spin before anything is measured
    if (!process.isAlive()) {
      throw new IOException("busy-load process exited with " + process.exitValue());
    }
    return new BusyLoad(process);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** Child: {@code <threads> <parent pid>}; spins until the parent is gone. */
  public static void main(String[] args) {
    int threads = Integer.parseInt(args[0]);
    long parent = Long.parseLong(args[1]);
    for (int i = 0; i < threads; i++) {
      Thread spinner = new Thread(BusyLoad::spin, "busy-" + i);
      spinner.setDaemon(true);
      spinner.start();
    }
    ProcessHandle.of(parent).ifPresent(p -> p.onExit().join());
    System.exit(0);
  }

  private static volatile long sink;

  /** Pure CPU work with a result the JIT cannot drop. */
  private static void spin() {
    long x = Thread.currentThread().threadId();
    while (true) {
      for (int i = 0; i < 1_000_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
      sink = x;
    }
  }
}
