package network.canopy.p2p.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code topics} list into {@link TopicConfig}s. From the environment or --set the list
 * arrives as a JSON array string. Entries may omit priority, gossip, maxMessageSize and gossipMode.
 */
final class TopicsParser {
  private static final String KEY = ConfigKey.TOPICS.key();

  private TopicsParser() {}

  /**
   * @param maxMessageSize p2p.maxMessageSize, the upper bound for every topic
   */
  static List<TopicConfig> parse(Object raw, long maxMessageSize, Problems problems) {
    JsonArray array = asArray(raw, problems);
    List<TopicConfig> out = new ArrayList<>(array.size());
    Map<String, Integer> nameAt = new HashMap<>();
    Map<Integer, Integer> idAt = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      String prefix = KEY + "[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject entry)) {
        problems.add(
            prefix,
            "must be a topic {name, id, priority, gossip, maxMessageSize, validate, gossipMode} (got "
                + FieldReader.shown(array.getValue(i))
                + ")");
        continue;
      }
      TopicConfig topic = topic(new FieldReader(entry, prefix, problems), maxMessageSize);
      checkUnique(
          prefix + ".name", "name '" + topic.name() + "'", nameAt, topic.name(), i, problems);
      checkUnique(prefix + ".id", "id " + topic.id(), idAt, topic.id(), i, problems);
      out.add(topic);
    }
    return out;
  }

  private static JsonArray asArray(Object raw, Problems problems) {
    if (raw instanceof JsonArray array) {
      return array;
    }
    if (raw instanceof String s) {
      try {
        return s.isBlank() ? new JsonArray() : new JsonArray(s);
      } catch (DecodeException e) {
        problems.add(KEY, "cannot parse '" + s + "' as a JSON array of topics");
        return new JsonArray();
      }
    }
    if (raw != null) {
      problems.add(KEY, "must be a list of topics (got " + FieldReader.shown(raw) + ")");
    }
    return new JsonArray();
  }

  private static TopicConfig topic(FieldReader r, long maxMessageSize) {
    Problems problems = r.problems();
    for (String field : r.fieldNames()) {
      if (!TopicConfig.FIELDS.contains(field)) {
        problems.add(
            r.key(field),
            "unknown topic field (expected one of name, id, priority, "
                + "gossip, maxMessageSize, validate, gossipMode)");
      }
    }
    String name = required(r, "name") ? name(r) : "";
    int id = required(r, "id") ? id(r) : TopicConfig.MIN_ID;
    int priority =
        r.isSet("priority")
            ? r.intIn("priority", TopicConfig.MIN_PRIORITY, TopicConfig.MAX_PRIORITY)
            : ConfigDefaults.TOPIC_PRIORITY;
    boolean gossip = r.isSet("gossip") ? r.bool("gossip") : ConfigDefaults.TOPIC_GOSSIP;
    long max = r.isSet("maxMessageSize") ? maxSize(r, maxMessageSize) : maxMessageSize;
    boolean validate = r.isSet("validate") && r.bool("validate");
    if (validate && !gossip && !problems.has(r.key("validate"))) {
      problems.add(
          r.key("validate"),
          "true needs gossip: true (validation decides what is forwarded;"
              + " a topic that is not gossiped is delivered as sent)");
    }
    GossipMode mode = r.isSet("gossipMode") ? gossipMode(r) : ConfigDefaults.TOPIC_GOSSIP_MODE;
    return new TopicConfig(name, id, priority, gossip, max, validate, mode);
  }

  private static GossipMode gossipMode(FieldReader r) {
    String value = r.string("gossipMode");
    for (GossipMode mode : GossipMode.values()) {
      if (mode.spelling().equals(value)) {
        return mode;
      }
    }
    if (!r.problems().has(r.key("gossipMode"))) {
      r.problems().add(r.key("gossipMode"), "must be flood or lazy (got '" + value + "')");
    }
    return ConfigDefaults.TOPIC_GOSSIP_MODE;
  }

  private static boolean required(FieldReader r, String field) {
    if (r.isSet(field)) {
      return true;
    }
    r.problems().add(r.key(field), "missing (every topic needs a name and an id)");
    return false;
  }

  private static String name(FieldReader r) {
    String name = r.string("name");
    if (!TopicConfig.NAME_PATTERN.matcher(name).matches() && !r.problems().has(r.key("name"))) {
      r.problems()
          .add(
              r.key("name"),
              "'"
                  + name
                  + "' must match "
                  + TopicConfig.NAME_PATTERN
                  + " (it becomes part of an event-bus address)");
    }
    return name;
  }

  private static int id(FieldReader r) {
    Object raw = r.raw("id");
    long id = r.longIn("id", Long.MIN_VALUE, Long.MAX_VALUE);
    if (r.problems().has(r.key("id"))) {
      return TopicConfig.MIN_ID;
    }
    if (id >= 0 && id <= TopicConfig.RESERVED_MAX && TopicConfig.isReservedId((int) id)) {
      r.problems()
          .add(
              r.key("id"),
              id
                  + " is reserved (0 and "
                  + TopicConfig.RESERVED_MIN
                  + ".."
                  + TopicConfig.RESERVED_MAX
                  + " are for control and peer exchange); use "
                  + TopicConfig.MIN_ID
                  + ".."
                  + TopicConfig.MAX_ID);
    } else if (id < TopicConfig.MIN_ID || id > TopicConfig.MAX_ID) {
      r.problems()
          .add(
              r.key("id"),
              "must be "
                  + TopicConfig.MIN_ID
                  + ".."
                  + TopicConfig.MAX_ID
                  + " (got "
                  + FieldReader.shown(raw)
                  + ")");
    }
    return (int) Math.max(TopicConfig.MIN_ID, Math.min(id, TopicConfig.MAX_ID));
  }

  private static long maxSize(FieldReader r, long bound) {
    long value = r.longIn("maxMessageSize", Long.MIN_VALUE, Long.MAX_VALUE);
    if (!r.problems().has(r.key("maxMessageSize")) && (value < 1 || value > bound)) {
      r.problems()
          .add(
              r.key("maxMessageSize"),
              "must be 1.." + bound + " (at most p2p.maxMessageSize)" + " (got " + value + ")");
    }
    return value;
  }

  /** Values that already failed are not registered, so a fallback cannot look like a duplicate. */
  private static <T> void checkUnique(
      String key, String what, Map<T, Integer> seen, T value, int index, Problems problems) {
    if (problems.has(key)) {
      return;
    }
    Integer earlier = seen.putIfAbsent(value, index);
    if (earlier != null) {
      problems.add(key, "duplicate topic " + what + " (also topics[" + earlier + "])");
    }
  }
}
