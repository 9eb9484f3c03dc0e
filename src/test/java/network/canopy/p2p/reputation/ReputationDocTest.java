package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of events in docs/ARCHITECTURE.md says what the code does. */
class ReputationDocTest {

  private static final Path DOC = Path.of("docs", "ARCHITECTURE.md");

  @Test
  void theDocumentedTableMatchesTheEvents() throws IOException {
    Map<String, String[]> rows = table();
    assertThat(rows.keySet())
        .containsExactly(
            Arrays.stream(ReputationEvent.values()).map(Enum::name).toArray(String[]::new));
    for (ReputationEvent e : ReputationEvent.values()) {
      String[] cells = rows.get(e.name());
      assertThat(Double.parseDouble(cells[1])).as(e.name() + " points").isEqualTo(e.points());
      if (e.points() > 0) {
        assertThat(Double.parseDouble(cells[2])).as(e.name() + " ceiling").isEqualTo(e.ceiling());
      } else {
        assertThat(cells[2]).as(e.name() + " ceiling").isEmpty();
      }
    }
  }

  @Test
  void theDocumentedRulesMatchTheDefaults() throws IOException {
    String section = section();
    ReputationSettings d = ReputationSettings.defaults();
    assertThat(d.banThreshold()).isEqualTo(-50);
    assertThat(d.probationScore()).isEqualTo(-25);
    assertThat(d.halfLifeMillis()).isEqualTo(3_600_000);
    assertThat(d.maxTracked()).isEqualTo(10_000);
    assertThat(d.maxBanned()).isEqualTo(10_000);
    assertThat(d.firstBanMillis()).isEqualTo(60_000);
    assertThat(d.maxBanMillis()).isEqualTo(24 * 3_600_000L);
    assertThat(d.banMemoryMillis()).isEqualTo(24 * 3_600_000L);
    assertThat(section)
        .contains(
            "half-life of **1 hour**",
            "at or below **-50**",
            "**-25**",
            "**1 minute**",
            "**24 hours** (reached at the 12th ban)",
            "forgotten **24 hours**",
            "At most **10 000** scores",
            "At most **10 000** bans");
    assertThat(ScoreHistogram.labels())
        .allSatisfy(label -> assertThat(section).contains("`" + label + "`"));
    BanList bans = new BanList(d, () -> 0, Set.of(), Set.of());
    assertThat(bans.duration(11)).isLessThan(d.maxBanMillis());
    assertThat(bans.duration(12)).isEqualTo(d.maxBanMillis());
  }

  /** Event name to its cells (name, points, ceiling, reported by), in document order. */
  private static Map<String, String[]> table() throws IOException {
    Map<String, String[]> rows = new LinkedHashMap<>();
    for (String line : section().lines().toList()) {
      if (line.startsWith("| `")) {
        List<String> cells =
            Arrays.stream(line.substring(1, line.length() - 1).split("\\|"))
                .map(String::strip)
                .toList();
        String name = cells.get(0).replace("`", "");
        rows.put(
            name,
            new String[] {
              name, cells.get(1).replace("+", ""), cells.get(2).replace("+", ""), cells.get(3)
            });
      }
    }
    return rows;
  }

  private static String section() throws IOException {
    String doc = Files.readString(DOC);
    int start = doc.indexOf("\n## Reputation\n");
    assertThat(start).as("a Reputation section in " + DOC).isNotNegative();
    int end = doc.indexOf("\n## ", start + 1);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
