package network.canopy.p2p.gossipsim;

import java.util.List;
import java.util.Locale;

/**
 * A grouped bar chart as SVG text, no library: one group per scenario, one bar per series (flood,
 * lazy), the value printed on each bar. Enough for docs/GOSSIP.md's figures.
 */
final class SvgBars {

  private static final String[] COLOURS = {"#c0504d", "#4f81bd"};
  private static final int WIDTH = 720;
  private static final int HEIGHT = 300;
  private static final int LEFT = 60;
  private static final int BOTTOM = 60;
  private static final int TOP = 40;

  private SvgBars() {}

  /**
   * @param values values[group][series]
   */
  static String chart(
      String title, String unit, List<String> groups, List<String> series, double[][] values) {
    double max = 0;
    for (double[] g : values) {
      for (double v : g) {
        max = Math.max(max, Double.isNaN(v) ? 0 : v);
      }
    }
    max = max == 0 ? 1 : max * 1.15;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                + "height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
            WIDTH,
            HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, WIDTH / 2, 20, "middle", 15, escape(title));
    text(svg, 14, TOP - 8, "start", 11, escape(unit));
    int plotH = HEIGHT - TOP - BOTTOM;
    int plotW = WIDTH - LEFT - 20;
    line(svg, LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
    line(svg, LEFT, TOP, LEFT, TOP + plotH);
    double groupW = (double) plotW / groups.size();
    double barW = groupW * 0.7 / series.size();
    for (int g = 0; g < groups.size(); g++) {
      double x0 = LEFT + g * groupW + groupW * 0.15;
      for (int s = 0; s < series.size(); s++) {
        double v = Double.isNaN(values[g][s]) ? 0 : values[g][s];
        double h = v / max * plotH;
        double x = x0 + s * barW;
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" " + "height=\"%.1f\" fill=\"%s\"/>%n",
                x,
                TOP + plotH - h,
                barW - 2,
                h,
                COLOURS[s % 2]));
        text(svg, x + barW / 2, TOP + plotH - h - 4, "middle", 11, format(values[g][s]));
      }
      text(
          svg,
          LEFT + g * groupW + groupW / 2,
          TOP + plotH + 18,
          "middle",
          12,
          escape(groups.get(g)));
    }
    for (int s = 0; s < series.size(); s++) {
      double x = LEFT + s * 110;
      svg.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%.0f\" y=\"%d\" width=\"12\" height=\"12\" " + "fill=\"%s\"/>%n",
              x,
              HEIGHT - 22,
              COLOURS[s % 2]));
      text(svg, x + 18, HEIGHT - 12, "start", 12, escape(series.get(s)));
    }
    return svg.append("</svg>\n").toString();
  }

  static String format(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    if (v >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, v >= 10 ? "%.1f" : "%.3f", v);
  }

  private static void text(
      StringBuilder svg, double x, double y, String anchor, int size, String s) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" " + "font-size=\"%d\">%s</text>%n",
            x,
            y,
            anchor,
            size,
            s));
  }

  private static void line(StringBuilder svg, double x1, double y1, double x2, double y2) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" " + "stroke=\"black\"/>%n",
            x1,
            y1,
            x2,
            y2));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
