package network.canopy.p2p.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes target/bench/results.json in the shape BENCHMARKS.md fixes. */
final class ResultsJson {

  private ResultsJson() {}

  /**
   * @param contention busy threads competing in another process (0: none), first in the document
   */
  static JsonObject document(int contention, String plan, List<FigureResult> rows) {
    JsonArray results = new JsonArray();
    rows.forEach(row -> results.add(row.toJson()));
    return new JsonObject()
        .put("contention", contention)
        .put(
            "jdk",
            System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version"))
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
        .put("plan", plan)
        .put("results", results);
  }

  static void write(Path file, JsonObject document) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, document.encodePrettily() + "\n");
  }
}
