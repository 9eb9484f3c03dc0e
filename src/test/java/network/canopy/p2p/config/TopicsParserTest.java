package network.canopy.p2p.config;

import static network.canopy.p2p.config.ConfigJson.defaultsWith;
import static network.canopy.p2p.config.ConfigJson.problems;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsParserTest {

  static JsonObject topic(String name, int id) {
    return new JsonObject().put("name", name).put("id", id);
  }

  static JsonObject withTopics(JsonObject... topics) {
    return defaultsWith("topics", new JsonArray(java.util.List.of((Object[]) topics)));
  }

  @Test
  void defaultTopicsAreAsDocumented() {
    NodeConfig c = NodeConfig.defaults();
    assertThat(c.topics())
        .containsExactly(
            new TopicConfig("consensus", 1, 8, true, 4L << 20),
            new TopicConfig("block", 2, 2, true, 64L << 20, GossipMode.LAZY),
            new TopicConfig("block_request", 3, 4, false, 1L << 20),
            new TopicConfig("tx", 4, 1, true, 1L << 20, GossipMode.LAZY));
  }

  @Test
  void gossipModeIsFloodOrLazyAndAnythingElseIsNamed() {
    NodeConfig c =
        ConfigParser.parse(
            withTopics(topic("votes", 9).put("gossip", true).put("gossipMode", "lazy")));
    assertThat(c.topics().getFirst().gossipMode()).isEqualTo(GossipMode.LAZY);
    assertThat(c.topics().getFirst().lazy()).isTrue();
    assertThat(problems(withTopics(topic("votes", 9).put("gossipMode", "eager"))))
        .containsExactly("topics[0].gossipMode: must be flood or lazy (got 'eager')");
  }

  @Test
  void omittedFieldsTakeTheirDefaults() {
    NodeConfig c = ConfigParser.parse(withTopics(topic("votes", 9)));
    assertThat(c.topics())
        .containsExactly(
            new TopicConfig(
                "votes",
                9,
                ConfigDefaults.TOPIC_PRIORITY,
                ConfigDefaults.TOPIC_GOSSIP,
                c.p2p().maxMessageSize()));
  }

  @Test
  void validateIsOffByDefaultAndOnlyForGossipTopics() {
    NodeConfig c =
        ConfigParser.parse(
            withTopics(
                topic("blocks", 9).put("gossip", true).put("validate", true), topic("votes", 10)));
    assertThat(c.topics().get(0).validate()).isTrue();
    assertThat(c.topics().get(1).validate()).isFalse();
    assertThat(problems(withTopics(topic("req", 9).put("validate", true))))
        .singleElement()
        .asString()
        .startsWith("topics[0].validate: true needs gossip: true");
    assertThat(problems(withTopics(topic("req", 9).put("gossip", true).put("validate", "yes"))))
        .singleElement()
        .asString()
        .startsWith("topics[0].validate:");
  }

  @Test
  void unknownTopicFieldIsNamedWithItsIndex() {
    JsonObject json = ConfigDefaults.json();
    json.getJsonArray("topics").getJsonObject(2).put("colour", "blue");
    assertThat(problems(json))
        .singleElement()
        .asString()
        .startsWith("topics[2].colour: unknown topic field");
  }

  @Test
  void missingNameAndIdAreErrors() {
    assertThat(problems(withTopics(new JsonObject().put("priority", 3))))
        .containsExactly(
            "topics[0].name: missing (every topic needs a name and an id)",
            "topics[0].id: missing (every topic needs a name and an id)");
  }

  @Test
  void duplicateIdsAndNamesAreReported() {
    assertThat(problems(withTopics(topic("a", 5), topic("b", 6), topic("c", 5), topic("a", 7))))
        .containsExactly(
            "topics[2].id: duplicate topic id 5 (also topics[0])",
            "topics[3].name: duplicate topic name 'a' (also topics[0])");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 240, 250, 255})
  void reservedIdsAreRefused(int id) {
    assertThat(problems(withTopics(topic("a", id))))
        .containsExactly(
            "topics[0].id: "
                + id
                + " is reserved (0 and 240..255 are for control and peer exchange); use 1..239");
  }

  @Test
  void idsOutsideTheByteRangeAreRefused() {
    assertThat(problems(withTopics(topic("a", 256), topic("b", -3))))
        .containsExactly(
            "topics[0].id: must be 1..239 (got 256)", "topics[1].id: must be 1..239 (got -3)");
  }

  @Test
  void reservedRangeConstantsMatchTheRule() {
    assertThat(TopicConfig.isReservedId(TopicConfig.CONTROL_ID)).isTrue();
    assertThat(TopicConfig.isReservedId(TopicConfig.MIN_ID)).isFalse();
    assertThat(TopicConfig.isReservedId(TopicConfig.MAX_ID)).isFalse();
    assertThat(TopicConfig.isReservedId(TopicConfig.RESERVED_MIN)).isTrue();
    assertThat(TopicConfig.isReservedId(TopicConfig.RESERVED_MAX)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Consensus", "a-b", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "a.b"})
  void badNamesAreRefused(String name) {
    assertThat(problems(withTopics(topic(name, 9))))
        .singleElement()
        .asString()
        .startsWith("topics[0].name: '" + name + "' must match [a-z0-9_]{1,32}");
  }

  @Test
  void priorityAndSizeAreBounded() {
    JsonObject json =
        withTopics(
            topic("a", 9).put("priority", 17).put("maxMessageSize", 0),
            topic("b", 10).put("priority", 0).put("maxMessageSize", (64L << 20) + 1));
    assertThat(problems(json))
        .containsExactly(
            "topics[0].priority: must be 1..16 (got 17)",
            "topics[0].maxMessageSize: must be 1..67108864 (at most p2p.maxMessageSize) (got 0)",
            "topics[1].priority: must be 1..16 (got 0)",
            "topics[1].maxMessageSize: must be 1..67108864 (at most p2p.maxMessageSize) (got 67108865)");
  }

  @Test
  void topicSizeIsBoundedByTheConfiguredMaxMessageSize() {
    JsonObject json = withTopics(topic("a", 9).put("maxMessageSize", 2048));
    json.getJsonObject("p2p").put("maxMessageSize", 1024);
    assertThat(problems(json))
        .containsExactly(
            "topics[0].maxMessageSize: must be 1..1024 (at most p2p.maxMessageSize) (got 2048)");
  }

  @Test
  void aJsonArrayStringIsAccepted() {
    JsonObject json =
        defaultsWith(
            "topics",
            "[{\"name\":\"votes\",\"id\":9,\"priority\":16,\"gossip\":true,\"maxMessageSize\":100}]");
    assertThat(ConfigParser.parse(json).topics())
        .containsExactly(new TopicConfig("votes", 9, 16, true, 100));
  }

  @Test
  void badTopicShapesAreReported() {
    assertThat(problems(defaultsWith("topics", "[{oops")))
        .containsExactly("topics: cannot parse '[{oops' as a JSON array of topics");
    assertThat(problems(defaultsWith("topics", new JsonArray().add("consensus"))))
        .singleElement()
        .asString()
        .startsWith("topics[0]: must be a topic");
    assertThat(problems(defaultsWith("topics", 5)))
        .containsExactly("topics: must be a list of topics (got 5)");
  }
}
