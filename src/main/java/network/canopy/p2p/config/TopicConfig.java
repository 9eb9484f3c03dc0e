package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One application topic multiplexed over every connection: its name (part of the event-bus address
 * {@code <prefix>.topic.<name>}), its wire id, its send priority, whether it is gossiped and how
 * (flood or lazy push), the largest message it accepts, and whether a new gossip message waits for
 * the application's validator (on {@code <prefix>.validate.<name>}) before it is delivered and
 * forwarded.
 */
public record TopicConfig(
    String name,
    int id,
    int priority,
    boolean gossip,
    long maxMessageSize,
    boolean validate,
    GossipMode gossipMode) {
  /** Wire id of the control/heartbeat channel; never a configured topic. */
  public static final int CONTROL_ID = 0;

  /** Lowest and highest ids a configured topic may use. */
  public static final int MIN_ID = 1;

  public static final int MAX_ID = 239;

  /** Ids kept for the node's own protocols (peer exchange and future ones). */
  public static final int RESERVED_MIN = 240;

  public static final int RESERVED_MAX = 255;

  /** Priorities are relative send weights; higher is served first under contention. */
  public static final int MIN_PRIORITY = 1;

  public static final int MAX_PRIORITY = 16;
  public static final Pattern NAME_PATTERN = Pattern.compile("[a-z0-9_]{1,32}");

  /** The fields a topic entry may have; anything else is reported as a typo. */
  public static final Set<String> FIELDS =
      Set.of("name", "id", "priority", "gossip", "maxMessageSize", "validate", "gossipMode");

  public TopicConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(gossipMode, "gossipMode");
  }

  /** A topic without validation, with the default gossip mode (flood). */
  public TopicConfig(String name, int id, int priority, boolean gossip, long maxMessageSize) {
    this(name, id, priority, gossip, maxMessageSize, false, ConfigDefaults.TOPIC_GOSSIP_MODE);
  }

  /** A topic without validation. */
  public TopicConfig(
      String name,
      int id,
      int priority,
      boolean gossip,
      long maxMessageSize,
      GossipMode gossipMode) {
    this(name, id, priority, gossip, maxMessageSize, false, gossipMode);
  }

  /** True for a gossip topic spread by lazy push rather than flooding. */
  public boolean lazy() {
    return gossip && gossipMode == GossipMode.LAZY;
  }

  /** True for ids a configured topic may not take: the control id and 240..255. */
  public static boolean isReservedId(int id) {
    return id == CONTROL_ID || (id >= RESERVED_MIN && id <= RESERVED_MAX);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("name", name)
        .put("id", id)
        .put("priority", priority)
        .put("gossip", gossip)
        .put("maxMessageSize", maxMessageSize)
        .put("validate", validate)
        .put("gossipMode", gossipMode.spelling());
  }
}
