package network.canopy.p2p.bench;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of the results: a figure's median per side (p2p, tcp, tls; null when not measured), the
 * p2p ratios, and extra named figures (p99s, the mixed-priority baseline) and notes.
 */
final class FigureResult {

  static final List<String> SIDES = List.of("p2p", "tcp", "tls");

  private final String name;
  private final String unit;
  private final Map<String, Summary> values = new LinkedHashMap<>();
  private final Map<String, Summary> extras = new LinkedHashMap<>();
  private final Map<String, Object> notes = new LinkedHashMap<>();

  FigureResult(String name, String unit) {
    this.name = name;
    this.unit = unit;
  }

  /** The main figure of {@code side} ("p2p", "tcp" or "tls"); null leaves it unmeasured. */
  FigureResult put(String side, Summary value) {
    values.put(side, value);
    return this;
  }

  /** A further figure reported beside the main ones, e.g. "tls_p99". */
  FigureResult extra(String key, Summary value) {
    extras.put(key, value);
    return this;
  }

  /** A plain extra field (a ratio, a count, a reason). */
  FigureResult note(String key, Object value) {
    notes.put(key, value);
    return this;
  }

  String name() {
    return name;
  }

  String unit() {
    return unit;
  }

  Summary value(String side) {
    return values.get(side);
  }

  Map<String, Summary> extras() {
    return extras;
  }

  Map<String, Object> notes() {
    return notes;
  }

  /** p2p's median over {@code side}'s, or null when either is missing. */
  Double ratio(String side) {
    Summary p2p = values.get("p2p");
    Summary other = values.get(side);
    if (p2p == null || other == null || other.median() == 0) {
      return null;
    }
    return p2p.median() / other.median();
  }

  /** The row in BENCHMARKS.md's shape; min/max and run counts ride along as extra fields. */
  JsonObject toJson() {
    JsonObject row = new JsonObject().put("name", name).put("unit", unit);
    for (String side : SIDES) {
      Summary s = values.get(side);
      row.put(side, s == null ? null : round(s.median(), 1));
    }
    Double overTls = ratio("tls");
    Double overTcp = ratio("tcp");
    row.put("p2p_over_tls", overTls == null ? null : round(overTls, 3));
    row.put("p2p_over_tcp", overTcp == null ? null : round(overTcp, 3));
    extras.forEach((key, s) -> row.put(key, s == null ? null : round(s.median(), 1)));
    values.forEach((side, s) -> spread(row, side, s));
    extras.forEach((key, s) -> spread(row, key, s));
    notes.forEach(row::put);
    return row;
  }

  private static void spread(JsonObject row, String key, Summary s) {
    if (s != null) {
      row.put(key + "_min", round(s.min(), 1))
          .put(key + "_max", round(s.max(), 1))
          .put(key + "_runs", s.runs());
    }
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
