package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads typed values from one JSON object of the merged config. Values from the file arrive typed;
 * values from the environment and --set arrive as strings, so every reader also accepts the text
 * form. A bad value is recorded as a problem and a harmless fallback is returned.
 */
final class FieldReader {
  /** Stands in for an address that failed, so records can still be built; never used after. */
  private static final HostPort FALLBACK_ADDRESS = new HostPort("0.0.0.0", 0);

  private final JsonObject json;
  private final String prefix;
  private final Problems problems;

  FieldReader(JsonObject json, String prefix, Problems problems) {
    this.json = json;
    this.prefix = prefix;
    this.problems = problems;
  }

  String key(String field) {
    return prefix.isEmpty() ? field : prefix + "." + field;
  }

  Problems problems() {
    return problems;
  }

  Set<String> fieldNames() {
    return json.fieldNames();
  }

  Object raw(String field) {
    return json.getValue(field);
  }

  boolean isSet(String field) {
    return json.getValue(field) != null;
  }

  FieldReader section(String field) {
    Object value = json.getValue(field);
    if (value instanceof JsonObject section) {
      return new FieldReader(section, key(field), problems);
    }
    if (value != null) {
      problems.add(key(field), "must be a section of keys (got " + shown(value) + ")");
    }
    return new FieldReader(new JsonObject(), key(field), problems);
  }

  /** Scalars of any type are taken as their text, e.g. a YAML number for a token. */
  String string(String field) {
    Object value = json.getValue(field);
    if (value == null) {
      return "";
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value.toString().trim();
    }
    problems.add(key(field), "must be a single value (got " + shown(value) + ")");
    return "";
  }

  String nonEmptyString(String field) {
    String value = string(field);
    if (value.isEmpty() && !problems.has(key(field))) {
      problems.add(key(field), "must not be empty");
    }
    return value;
  }

  /** The key's whole number, checked against the bounds of its definition. */
  long longOf(ConfigKey key) {
    return longIn(leafOf(key), key.spec().min(), key.spec().max());
  }

  int intOf(ConfigKey key) {
    if (key.spec().max() > Integer.MAX_VALUE || key.spec().min() < Integer.MIN_VALUE) {
      throw new IllegalStateException(key.key() + " is not int-sized");
    }
    return (int) longOf(key);
  }

  boolean boolOf(ConfigKey key) {
    return bool(leafOf(key));
  }

  List<String> listOf(ConfigKey key) {
    return list(leafOf(key));
  }

  /** The key's name in this reader's section; a key of another section is a programming error. */
  String leafOf(ConfigKey key) {
    if (!key.key().equals(key(key.leaf()))) {
      throw new IllegalStateException(key.key() + " read from section '" + prefix + "'");
    }
    return key.leaf();
  }

  long longIn(String field, long min, long max) {
    Long value = parseInteger(field);
    if (value == null) {
      return min;
    }
    if (value < min || value > max) {
      // An upper bound that is only the type's limit is noise in the message.
      boolean unbounded = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
      String range = unbounded && value < min ? ">= " + min : min + ".." + max;
      problems.add(key(field), "must be " + range + " (got " + value + ")");
      return min;
    }
    return value;
  }

  int intIn(String field, int min, int max) {
    return (int) longIn(field, min, max);
  }

  private Long parseInteger(String field) {
    Object value = json.getValue(field);
    try {
      if (value instanceof Number n) {
        return new BigDecimal(n.toString()).longValueExact();
      }
      if (value instanceof String s) {
        return Long.parseLong(s.trim());
      }
    } catch (ArithmeticException | NumberFormatException e) {
      // reported below, with the offending value
    }
    problems.add(
        key(field),
        value instanceof String s
            ? "cannot parse '" + s + "' as an integer"
            : "must be an integer (got " + shown(value) + ")");
    return null;
  }

  boolean bool(String field) {
    Object value = json.getValue(field);
    if (value instanceof Boolean b) {
      return b;
    }
    if (value instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("false")) {
        return t.equals("true");
      }
      problems.add(key(field), "cannot parse '" + s + "' as a boolean (true or false)");
      return false;
    }
    problems.add(key(field), "must be true or false (got " + shown(value) + ")");
    return false;
  }

  /** A list, or a comma-separated string of items; absent or empty means an empty list. */
  List<String> list(String field) {
    Object value = json.getValue(field);
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      for (String item : s.split(",", -1)) {
        if (!item.isBlank()) {
          out.add(item.trim());
        }
      }
    } else if (value instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        Object item = array.getValue(i);
        if (item instanceof String || item instanceof Number || item instanceof Boolean) {
          out.add(item.toString().trim());
        } else {
          problems.add(
              key(field) + "[" + i + "]", "must be a single value (got " + shown(item) + ")");
        }
      }
    } else if (value != null) {
      problems.add(key(field), "must be a list (got " + shown(value) + ")");
    }
    return out;
  }

  /** A HOST:PORT; empty values are a problem. */
  HostPort hostPort(String field) {
    return optionalHostPort(field)
        .orElseGet(
            () -> {
              if (!problems.has(key(field))) {
                problems.add(key(field), "must not be empty (expected HOST:PORT)");
              }
              return FALLBACK_ADDRESS;
            });
  }

  /** An optional HOST:PORT: empty when absent or blank. */
  Optional<HostPort> optionalHostPort(String field) {
    String text = string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(HostPort.parse(text));
    } catch (IllegalArgumentException e) {
      problems.add(key(field), e.getMessage());
      return Optional.empty();
    }
  }

  /** An optional file-system path: empty when absent or blank. */
  Optional<Path> optionalPath(String field) {
    String text = string(field);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text));
    } catch (InvalidPathException e) {
      problems.add(key(field), "bad path '" + text + "': " + e.getReason());
      return Optional.empty();
    }
  }

  /**
   * A value as a problem line shows it. Sections and lists from YAML can hold what JSON cannot
   * encode (a null key, {@code ~: 1}), and printing them threw out of the loader (found by
   * fuzzing): those are named by their kind instead. Long values are cut.
   */
  static String shown(Object value) {
    String text;
    try {
      text = String.valueOf(value);
    } catch (RuntimeException unprintable) {
      text =
          value instanceof JsonArray || value instanceof java.util.List<?> ? "a list" : "a section";
    }
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
