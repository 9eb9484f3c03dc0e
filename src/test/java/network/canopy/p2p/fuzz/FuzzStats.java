package network.canopy.p2p.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Per-target figures of a fuzzing run (executions, executions/s, slowest input, heap retained after
 * GC), written to target/fuzz-stats/TARGET.properties when the JVM exits so scripts/fuzz.sh can
 * report them. Also turns an input that runs longer than {@link #HANG_NANOS} into a finding.
 */
public final class FuzzStats {

  /**
   * One input taking this long is a hang: every target handles an input in well under a
   * millisecond.
   */
  public static final long HANG_NANOS = TimeUnit.SECONDS.toNanos(5);

  private static final int HEAP_SAMPLE_EVERY = 4096;

  /** The body of one fuzz execution. */
  @FunctionalInterface
  public interface Execution {
    void run() throws Exception;
  }

  private final String target;
  private final long startNanos = System.nanoTime();
  private final List<MemoryPoolMXBean> heapPools =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP && p.getCollectionUsage() != null)
          .toList();
  private long executions;
  private long slowestNanos;
  private long peakRetainedBytes;

  private FuzzStats(String target) {
    this.target = target;
    if (System.getenv("JAZZER_FUZZ") != null) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::write, "fuzz-stats-" + target));
    }
  }

  /** Statistics for one target; keep the instance in a static field of the test class. */
  public static FuzzStats of(String target) {
    return new FuzzStats(target);
  }

  /** Runs one execution, counting it and failing it if it hangs. */
  public synchronized void run(Execution execution) throws Exception {
    long begin = System.nanoTime();
    try {
      execution.run();
    } finally {
      long took = System.nanoTime() - begin;
      slowestNanos = Math.max(slowestNanos, took);
      if (++executions % HEAP_SAMPLE_EVERY == 0) {
        peakRetainedBytes = Math.max(peakRetainedBytes, retainedHeap());
      }
      if (took > HANG_NANOS) {
        throw new AssertionError(
            target + ": one input ran " + TimeUnit.NANOSECONDS.toMillis(took) + " ms");
      }
    }
  }

  /** Heap still in use after the most recent collection of each pool: what the target keeps. */
  private long retainedHeap() {
    return heapPools.stream().mapToLong(p -> p.getCollectionUsage().getUsed()).sum();
  }

  private synchronized void write() {
    if (executions == 0) {
      return; // regression mode, or another target was the one fuzzed in this JVM
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String text =
        "target="
            + target
            + "\n"
            + "executions="
            + executions
            + "\n"
            + "seconds="
            + String.format("%.1f", seconds)
            + "\n"
            + "execsPerSecond="
            + Math.round(executions / Math.max(seconds, 1e-9))
            + "\n"
            + "slowestInputMs="
            + String.format("%.2f", slowestNanos / 1e6)
            + "\n"
            + "peakRetainedHeapMiB="
            + String.format("%.1f", peakRetainedBytes / 1048576.0)
            + "\n"
            + "maxHeapMiB="
            + Runtime.getRuntime().maxMemory() / 1048576
            + "\n";
    try {
      Path dir = Path.of("target", "fuzz-stats");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(target + ".properties"), text);
    } catch (IOException e) {
      System.err.println("fuzz stats for " + target + " not written: " + e);
    }
  }
}
