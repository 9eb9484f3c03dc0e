package network.canopy.p2p.config;

import java.nio.file.NoSuchFileException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure to read or decode the config file into one readable line. SnakeYAML's messages
 * span several lines (context, snippet, caret); only the position and the problem are kept.
 */
final class FileErrors {
  private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

  private FileErrors() {}

  static String describe(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof NoSuchFileException) {
        return "file not found";
      }
      if (t instanceof ClassCastException) {
        // The YAML decoded to a list or a scalar where a mapping was expected.
        return "the top level must be a mapping of keys (key: value), not a list or a single value";
      }
      String message = t.getMessage() == null ? "" : t.getMessage();
      Matcher position = POSITION.matcher(message);
      String at = null;
      while (position.find()) {
        at = "line " + position.group(1) + ", column " + position.group(2);
      }
      if (at != null) {
        return "invalid YAML at " + at + ": " + lastUnindentedLine(message);
      }
    }
    String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** In SnakeYAML's layout the problem is the last line not indented (snippets and "in" are). */
  private static String lastUnindentedLine(String message) {
    String found = "syntax error";
    for (String line : message.split("\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        found = line.trim();
      }
    }
    return found;
  }
}
