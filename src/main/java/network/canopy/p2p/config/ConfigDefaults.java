package network.canopy.p2p.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The built-in defaults in the config file's layout, built from the key definitions in {@link
 * ConfigKey} (and the default topic table, written here). conf/config.yaml mirrors them and a test
 * keeps the two equal.
 */
public final class ConfigDefaults {
  public static final long MIB = 1024L * 1024L;

  /** Used for a topic entry that leaves out {@code priority}. */
  public static final int TOPIC_PRIORITY = 1;

  /** Used for a topic entry that leaves out {@code gossip}: nothing is forwarded unless asked. */
  public static final boolean TOPIC_GOSSIP = false;

  /**
   * Used for a gossip topic entry that leaves out {@code gossipMode}: flooding, as before lazy
   * push.
   */
  public static final GossipMode TOPIC_GOSSIP_MODE = GossipMode.FLOOD;

  // A topic entry without maxMessageSize gets p2p.maxMessageSize.

  private ConfigDefaults() {}

  /**
   * A fresh, mutable copy of the defaults on every call, built from {@link ConfigKey}'s
   * definitions.
   */
  public static JsonObject json() {
    JsonObject root = new JsonObject();
    for (ConfigKey key : ConfigKey.values()) {
      JsonObject target = root;
      String parent = "";
      for (String section : key.enclosingSections()) {
        String name = section.substring(parent.isEmpty() ? 0 : parent.length() + 1);
        JsonObject nested = target.getJsonObject(name);
        if (nested == null) {
          nested = new JsonObject();
          target.put(name, nested);
        }
        target = nested;
        parent = section;
      }
      target.put(key.leaf(), key.spec().jsonDefault());
    }
    return root;
  }

  /**
   * Consensus is small and urgent (highest priority); block requests are small and should not wait
   * behind blocks; blocks are large; transactions are bulk and yield to everything else. Blocks and
   * transactions spread by lazy push (docs/GOSSIP.md: about one copy per node instead of seven,
   * measured to 1 MiB on 128 real nodes and 16 MiB on 32); consensus votes are small and urgent and
   * flood, the fastest way.
   */
  static JsonArray topics() {
    return new JsonArray()
        .add(topic("consensus", 1, 8, true, 4 * MIB, GossipMode.FLOOD))
        .add(topic("block", 2, 2, true, 64 * MIB, GossipMode.LAZY))
        .add(topic("block_request", 3, 4, false, MIB, TOPIC_GOSSIP_MODE))
        .add(topic("tx", 4, 1, true, MIB, GossipMode.LAZY));
  }

  private static JsonObject topic(
      String name, int id, int priority, boolean gossip, long max, GossipMode mode) {
    return new JsonObject()
        .put("name", name)
        .put("id", id)
        .put("priority", priority)
        .put("gossip", gossip)
        .put("maxMessageSize", max)
        .put("validate", false)
        .put("gossipMode", mode.spelling());
  }
}
