package network.canopy.p2p.config;

import java.util.List;
import java.util.Objects;

/**
 * Thrown when the configuration cannot be used; carries every problem found, one line each, each
 * line starting with the key it is about, so a CLI can print them and exit before anything listens.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", requireSome(problems)));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, in the order they were found. */
  public List<String> problems() {
    return problems;
  }

  private static List<String> requireSome(List<String> problems) {
    Objects.requireNonNull(problems, "problems");
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    return problems;
  }
}
