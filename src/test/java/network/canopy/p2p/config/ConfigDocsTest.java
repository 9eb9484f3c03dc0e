package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The documentation of every key derives from its one definition in {@link ConfigKey}: the shipped
 * conf/config.yaml carries each key's doc as its comment (its default is checked by
 * ConfigLoaderTest), and README's key table names every key.
 */
class ConfigDocsTest {

  /** indent, name, value (empty for a section), comment. */
  private static final Pattern ENTRY =
      Pattern.compile("^( *)([A-Za-z0-9]+):\\s*([^#]*?)(?:\\s+#\\s(.*))?$");

  @Test
  void everyKeyInTheShippedFileCarriesItsDefinitionsDoc() throws Exception {
    Map<String, String> comments = comments(Files.readAllLines(Path.of("conf/config.yaml")));
    for (ConfigKey key : ConfigKey.values()) {
      if (key == ConfigKey.TOPICS) {
        continue; // a list of entries, documented by the comment block above it
      }
      assertThat(comments).as("conf/config.yaml line for %s", key.key()).containsKey(key.key());
      assertThat(comments.get(key.key()))
          .as("comment of %s in conf/config.yaml", key.key())
          .isEqualTo(key.doc());
    }
  }

  @Test
  void readmesKeyTableNamesEveryKey() throws Exception {
    List<String> rows =
        Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("| ")).toList();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(rows)
          .as("README table row naming `%s`", key.key())
          .anyMatch(r -> r.contains("`" + key.key() + "`"));
    }
  }

  /** Dotted key → the comment text on its line; a key with no value opens a (nested) section. */
  private static Map<String, String> comments(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    Deque<Object[]> sections = new ArrayDeque<>(); // {indent, name}, innermost first
    for (String line : lines) {
      Matcher k = ENTRY.matcher(line);
      if (!k.matches()) {
        continue;
      }
      int indent = k.group(1).length();
      while (!sections.isEmpty() && (int) sections.peek()[0] >= indent) {
        sections.pop();
      }
      StringBuilder name = new StringBuilder();
      sections.descendingIterator().forEachRemaining(s -> name.append(s[1]).append('.'));
      name.append(k.group(2));
      if (k.group(3).isEmpty()) {
        sections.push(new Object[] {indent, k.group(2)});
      } else if (k.group(4) != null) {
        out.put(name.toString(), k.group(4).trim());
      }
    }
    return out;
  }
}
