package network.canopy.p2p.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints the results as a table: medians and p2p ratios, then each row's spread and extras. */
final class ResultTable {

  private static final String FORMAT = "%-16s %-13s %12s %12s %12s %9s %9s%n";

  private ResultTable() {}

  static void print(List<FigureResult> rows) {
    System.out.println();
    System.out.printf(
        Locale.ROOT, FORMAT, "figure", "unit", "p2p", "tcp", "tls", "p2p/tls", "p2p/tcp");
    for (FigureResult row : rows) {
      System.out.printf(
          Locale.ROOT,
          FORMAT,
          row.name(),
          row.unit(),
          median(row.value("p2p")),
          median(row.value("tcp")),
          median(row.value("tls")),
          ratio(row.ratio("tls")),
          ratio(row.ratio("tcp")));
    }
    System.out.println();
    System.out.println(
        "Medians of the measured runs; min..max for information (machines are noisy):");
    for (FigureResult row : rows) {
      details(row);
    }
  }

  /** One line per figure: each measured column's spread, the extra figures and the notes. */
  static void details(FigureResult row) {
    StringBuilder line = new StringBuilder("  " + row.name() + ":");
    for (String side : FigureResult.SIDES) {
      Summary s = row.value(side);
      if (s != null) {
        line.append(' ').append(side).append(' ').append(spread(s)).append(';');
      }
    }
    for (Map.Entry<String, Summary> extra : row.extras().entrySet()) {
      if (extra.getValue() != null) {
        line.append(' ')
            .append(extra.getKey())
            .append(' ')
            .append(spread(extra.getValue()))
            .append(';');
      }
    }
    row.notes()
        .forEach(
            (key, value) -> line.append(' ').append(key).append('=').append(value).append(';'));
    System.out.println(line);
  }

  private static String spread(Summary s) {
    return number(s.median())
        + " ("
        + number(s.min())
        + ".."
        + number(s.max())
        + ", "
        + s.runs()
        + " runs)";
  }

  private static String median(Summary s) {
    return s == null ? "-" : number(s.median());
  }

  private static String ratio(Double r) {
    return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
  }

  static String number(double v) {
    if (Math.abs(v) >= 1000) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
  }
}
