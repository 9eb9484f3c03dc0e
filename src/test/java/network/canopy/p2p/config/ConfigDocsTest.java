package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
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

  private static final Pattern SECTION = Pattern.compile("^([A-Za-z0-9]+):\\s*(#.*)?$");
  private static final Pattern KEY_LINE = Pattern.compile("^(\\s*)([A-Za-z0-9]+):\\s*(.*?)\\s+#\\s(.*)$");

  @Test
  void everyKeyInTheShippedFileCarriesItsDefinitionsDoc() throws Exception {
    Map<String, String> comments = comments(Files.readAllLines(Path.of("conf/config.yaml")));
    for (ConfigKey key : ConfigKey.values()) {
      if (key == ConfigKey.TOPICS) {
        continue; // a list of entries, documented by the comment block above it
      }
      assertThat(comments).as("conf/config.yaml line for %s", key.key()).containsKey(key.key());
      assertThat(comments.get(key.key())).as("comment of %s in conf/config.yaml", key.key()).isEqualTo(key.doc());
    }
  }

  @Test
  void readmesKeyTableNamesEveryKey() throws Exception {
    List<String> rows = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.startsWith("| ")).toList();
    for (ConfigKey key : ConfigKey.values()) {
      assertThat(rows).as("README table row naming `%s`", key.key()).anyMatch(r -> r.contains("`" + key.key() + "`"));
    }
  }

  /** Dotted key → the comment text on its line. */
  private static Map<String, String> comments(List<String> lines) {
    Map<String, String> out = new HashMap<>();
    String section = "";
    for (String line : lines) {
      Matcher s = SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1);
        continue;
      }
      Matcher k = KEY_LINE.matcher(line);
      if (k.matches()) {
        String name = k.group(1).isEmpty() ? k.group(2) : section + "." + k.group(2);
        if (k.group(1).isEmpty()) {
          section = "";
        }
        out.put(name, k.group(4).trim());
      }
    }
    return out;
  }
}
