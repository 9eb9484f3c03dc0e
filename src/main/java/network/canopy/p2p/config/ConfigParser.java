package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validates a merged config (file layout: nested sections) and types it into a {@link NodeConfig}.
 * Every problem is collected; the result is a NodeConfig or one ConfigException listing them all.
 */
public final class ConfigParser {
  /** Dot-separated words; it starts every event-bus address of the node. */
  static final Pattern EVENT_BUS_PREFIX = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private ConfigParser() {}

  /**
   * Types and validates {@code merged}. Absent keys are problems, so merge over {@link
   * ConfigDefaults#json()} first (the loader does).
   *
   * @throws ConfigException listing every problem, one line per problem, each naming its key
   */
  public static NodeConfig parse(JsonObject merged) {
    Problems problems = new Problems();
    NodeConfig config = parse(merged, problems);
    problems.throwIfAny();
    return config;
  }

  /** Adds to {@code problems} rather than throwing; the result is meaningless if any were found. */
  static NodeConfig parse(JsonObject merged, Problems problems) {
    YamlOddities.cut(merged, problems);
    UnknownKeys.check(merged, problems);
    FieldReader root = new FieldReader(merged, "", problems);
    String network = root.nonEmptyString("network");
    long chainId = root.longOf(ConfigKey.CHAIN_ID);
    Path dataDir = dataDir(root);
    P2pConfig p2p = P2pParser.parse(root.section("p2p"));
    long topicBound =
        problems.has("p2p.maxMessageSize")
            ? P2pParser.MAX_MESSAGE_SIZE_LIMIT
            : p2p.maxMessageSize();
    List<TopicConfig> topics =
        TopicsParser.parse(root.raw(ConfigKey.TOPICS.key()), topicBound, problems);
    AdminConfig admin = admin(root.section("admin"));
    String prefix = eventBusPrefix(root.section("eventBus"));
    ClusterConfig cluster = ClusterParser.parse(root.section("cluster"));
    FieldReader gossipSection = root.section("gossip");
    GossipConfig gossip =
        new GossipConfig(
            gossipSection.intOf(ConfigKey.GOSSIP_SEEN_CACHE_ENTRIES),
            gossipSection.longOf(ConfigKey.GOSSIP_SEEN_CACHE_TTL_MS),
            gossipSection.longOf(ConfigKey.GOSSIP_VALIDATION_TIMEOUT_MS),
            gossipSection.intOf(ConfigKey.GOSSIP_MAX_PENDING_VALIDATIONS),
            gossipSection.intOf(ConfigKey.GOSSIP_VALIDATION_REJECT_POINTS));
    return new NodeConfig(network, chainId, dataDir, p2p, topics, admin, prefix, cluster, gossip);
  }

  private static Path dataDir(FieldReader root) {
    Path dataDir = root.optionalPath("dataDir").orElse(null);
    if (dataDir == null && !root.problems().has("dataDir")) {
      root.problems().add("dataDir", "must not be empty");
    }
    return dataDir == null ? Path.of(".") : dataDir;
  }

  /** Write endpoints are guarded only by the token, so an exposed address needs one. */
  private static AdminConfig admin(FieldReader r) {
    HostPort listen = r.hostPort("listen");
    String token = r.string("token");
    if (!r.problems().has(r.key("listen"))
        && listen.ipLiteral().isEmpty()
        && !listen.isLoopback()) {
      // Whether a name is loopback (and so may go without a token) is only known once it resolves.
      r.problems()
          .add(
              r.key("listen"),
              "host '"
                  + listen.host()
                  + "' is not an IP address or localhost"
                  + " (bind the admin server to an address: 127.0.0.1, 0.0.0.0, ::1, …)");
    } else if (!r.problems().has(r.key("listen")) && token.isEmpty() && !listen.isLoopback()) {
      r.problems()
          .add(
              r.key("token"),
              "required when "
                  + r.key("listen")
                  + " ("
                  + listen
                  + ") is not a loopback address (127.0.0.0/8, ::1, localhost)");
    }
    return new AdminConfig(listen, token);
  }

  private static String eventBusPrefix(FieldReader r) {
    String prefix = r.nonEmptyString("prefix");
    if (!prefix.isEmpty() && !EVENT_BUS_PREFIX.matcher(prefix).matches()) {
      r.problems()
          .add(
              r.key("prefix"),
              "'"
                  + prefix
                  + "' must be dot-separated words of "
                  + "A-Z a-z 0-9 _ - with no leading, trailing or double dot (e.g. p2p or node1.p2p)");
    }
    return prefix;
  }
}
