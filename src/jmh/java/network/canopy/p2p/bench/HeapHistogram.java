package network.canopy.p2p.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import javax.management.ObjectName;

/**
 * This JVM's class histogram (what {@code jcmd <pid> GC.class_histogram} prints), taken in process
 * through the DiagnosticCommand MBean, and the difference of two as "bytes per peer" by class: what
 * an idle connection holds.
 */
final class HeapHistogram {

  private final Map<String, Long> bytesByClass;

  private HeapHistogram(Map<String, Long> bytesByClass) {
    this.bytesByClass = bytesByClass;
  }

  static HeapHistogram take() throws Exception {
    String text =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    Map<String, Long> bytes = new HashMap<>();
    for (String line : text.split("\n")) {
      String[] f = line.trim().split("\\s+");
      // "   1:   12345   678900  [B (java.base@21)"
      if (f.length >= 4 && f[0].endsWith(":")) {
        bytes.merge(f[3], Long.parseLong(f[2]), Long::sum);
      }
    }
    return new HeapHistogram(bytes);
  }

  /** The {@code top} classes that grew most from {@code before} to this, in bytes per peer. */
  String growthPerPeer(HeapHistogram before, int peers, int top) {
    StringBuilder out = new StringBuilder();
    bytesByClass.entrySet().stream()
        .map(
            e ->
                Map.entry(
                    e.getKey(), e.getValue() - before.bytesByClass.getOrDefault(e.getKey(), 0L)))
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(top)
        .forEach(
            e ->
                out.append(
                    String.format(
                        "%10.1f B/peer  %s%n", e.getValue() / (double) peers, e.getKey())));
    return out.toString();
  }
}
