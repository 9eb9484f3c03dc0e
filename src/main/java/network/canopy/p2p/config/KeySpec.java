package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.function.Supplier;

/**
 * The type, default and bounds of one config key ({@link ConfigKey}): the defaults file is built
 * from these, and the parsers check numbers against these bounds, so neither is written twice.
 */
record KeySpec(Kind kind, Supplier<Object> defaultValue, long min, long max) {

  /**
   * How a key's value is written in the file; formats beyond this (HOST:PORT, ids…) are the
   * parsers'.
   */
  enum Kind {
    TEXT,
    INTEGER,
    BOOLEAN,
    LIST,
    TOPICS
  }

  static KeySpec text(String value) {
    return new KeySpec(Kind.TEXT, () -> value, 0, 0);
  }

  /** A whole number in {@code min..max}; an int-sized max makes it an int in the typed config. */
  static KeySpec integer(long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("default " + value + " outside " + min + ".." + max);
    }
    return new KeySpec(Kind.INTEGER, () -> value, min, max);
  }

  static KeySpec bool(boolean value) {
    return new KeySpec(Kind.BOOLEAN, () -> value, 0, 0);
  }

  static KeySpec list(String... values) {
    return new KeySpec(Kind.LIST, () -> new JsonArray(List.of((Object[]) values)), 0, 0);
  }

  /** A list whose default is computed (e.g. every capability this version speaks). */
  static KeySpec list(Supplier<List<String>> values) {
    return new KeySpec(Kind.LIST, () -> new JsonArray(List.copyOf(values.get())), 0, 0);
  }

  static KeySpec topics(Supplier<JsonArray> table) {
    return new KeySpec(Kind.TOPICS, () -> table.get(), 0, 0);
  }

  /** A fresh default value, as the file would hold it. */
  Object jsonDefault() {
    return defaultValue.get();
  }
}
