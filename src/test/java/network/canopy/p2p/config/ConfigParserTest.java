package network.canopy.p2p.config;

import static network.canopy.p2p.config.ConfigJson.defaultsWith;
import static network.canopy.p2p.config.ConfigJson.problems;
import static network.canopy.p2p.config.ConfigJson.set;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigParserTest {
  static final String ID = PeerAddressTest.ID;

  @Test
  void defaultsParseToTheDocumentedValues() {
    NodeConfig c = ConfigParser.parse(ConfigDefaults.json());
    assertThat(c.network()).isEqualTo("canopy-local");
    assertThat(c.chainId()).isEqualTo(1);
    assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(c.p2p().listen()).isEqualTo(new HostPort("0.0.0.0", 9001));
    assertThat(c.p2p().external()).isEmpty();
    assertThat(c.p2p().advertised()).isEqualTo(c.p2p().listen());
    assertThat(c.p2p().dial()).isEmpty();
    assertThat(List.of(c.p2p().maxInbound(), c.p2p().maxOutbound(), c.p2p().maxPerIp()))
        .containsExactly(21, 7, 4);
    assertThat(c.p2p().geoipDatabase()).isEmpty();
    assertThat(
            List.of(
                c.p2p().handshakeTimeoutMs(),
                c.p2p().heartbeatIntervalMs(),
                c.p2p().heartbeatTimeoutMs(),
                c.p2p().sendRateBytesPerSec(),
                c.p2p().recvRateBytesPerSec(),
                c.p2p().maxMessageSize(),
                c.p2p().discovery().peerExchangeIntervalMs()))
        .containsExactly(5000L, 1000L, 5000L, 0L, 0L, 67108864L, 30000L);
    assertThat(c.topics())
        .extracting(TopicConfig::name)
        .containsExactly("consensus", "block", "block_request", "tx");
    assertThat(c.admin()).isEqualTo(new AdminConfig(new HostPort("127.0.0.1", 9080), ""));
    assertThat(c.eventBusPrefix()).isEqualTo("p2p");
    assertThat(c.cluster())
        .isEqualTo(
            new ClusterConfig(
                false, "canopy", "127.0.0.1", 5801, List.of("127.0.0.1"), ClusterTlsConfig.OFF));
  }

  @Test
  void badPortNamesKeyValueAndRange() {
    assertThat(problems(defaultsWith("p2p.listen", "0.0.0.0:70000")))
        .containsExactly("p2p.listen: bad port 70000 (must be 0..65535)");
    assertThat(problems(defaultsWith("admin.listen", "127.0.0.1:-5")))
        .containsExactly("admin.listen: bad port '-5' (must be 0..65535)");
  }

  @Test
  void portZeroIsValidForListenAndAdmin() {
    JsonObject json = defaultsWith("p2p.listen", "0.0.0.0:0");
    set(json, "admin.listen", "127.0.0.1:0");
    NodeConfig c = ConfigParser.parse(json);
    assertThat(c.p2p().listen().port()).isZero();
    assertThat(c.admin().listen().port()).isZero();
  }

  @Test
  void clusterNameIsOneShortWord() {
    assertThat(problems(defaultsWith("cluster.name", "two words")))
        .singleElement()
        .asString()
        .startsWith("cluster.name: 'two words' must be 1-64 characters");
    assertThat(ConfigParser.parse(defaultsWith("cluster.name", "prod-eu.1")).cluster().name())
        .isEqualTo("prod-eu.1");
  }

  @Test
  void negativeLimitNamesKeyAndValue() {
    assertThat(problems(defaultsWith("p2p.maxInbound", -1)))
        .containsExactly("p2p.maxInbound: must be >= 0 (got -1)");
    assertThat(problems(defaultsWith("p2p.sendRateBytesPerSec", -1)))
        .containsExactly("p2p.sendRateBytesPerSec: must be >= 0 (got -1)");
  }

  @Test
  void unparsableDialNamesTheIndex() {
    assertThat(
            problems(
                defaultsWith("p2p.dial", new JsonArray().add(ID + "@10.0.0.1:9001").add("xyz"))))
        .containsExactly("p2p.dial[1]: cannot parse 'xyz' as ID@HOST:PORT");
  }

  @Test
  void dialAcceptsAListOrACommaSeparatedString() {
    String a = ID + "@10.0.0.1:9001";
    String b = ID.toUpperCase() + "@[::1]:9002";
    NodeConfig c = ConfigParser.parse(defaultsWith("p2p.dial", a + ", " + b));
    assertThat(c.p2p().dial())
        .extracting(PeerAddress::toString)
        .containsExactly(a, ID + "@[::1]:9002");
  }

  @Test
  void stringsAreTypedByKeyAndBadOnesNameKeyAndValue() {
    JsonObject json = defaultsWith("p2p.maxInbound", "10");
    set(json, "cluster.enabled", "TRUE");
    set(json, "chainId", " 7 ");
    NodeConfig c = ConfigParser.parse(json);
    assertThat(c.p2p().maxInbound()).isEqualTo(10);
    assertThat(c.cluster().enabled()).isTrue();
    assertThat(c.chainId()).isEqualTo(7);

    JsonObject bad = defaultsWith("p2p.maxInbound", "ten");
    set(bad, "cluster.enabled", "yes");
    set(bad, "p2p.maxOutbound", 7.5);
    assertThat(problems(bad))
        .containsExactly(
            "p2p.maxInbound: cannot parse 'ten' as an integer",
            "p2p.maxOutbound: must be an integer (got 7.5)",
            "cluster.enabled: cannot parse 'yes' as a boolean (true or false)");
  }

  @Test
  void badCidrsAreReportedOneLineEach() {
    JsonArray ips =
        new JsonArray()
            .add("10.0.0.0/8")
            .add("10.0.0.0/33")
            .add("2001:DB8::/32")
            .add("fe80::/129")
            .add("not-an-ip")
            .add("192.0.2.7");
    List<String> problems = problems(defaultsWith("p2p.bannedIps", ips));
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0))
        .startsWith("p2p.bannedIps[1]: '10.0.0.0/33' has a bad prefix length");
    assertThat(problems.get(1))
        .startsWith("p2p.bannedIps[3]: 'fe80::/129' has a bad prefix length");
    assertThat(problems.get(2)).startsWith("p2p.bannedIps[4]: 'not-an-ip' is not an IP address");
  }

  @Test
  void validBannedIpsAreKeptLowerCase() {
    NodeConfig c =
        ConfigParser.parse(defaultsWith("p2p.bannedIps", "10.0.0.0/8,2001:DB8::/32,::1"));
    assertThat(c.p2p().bannedIps()).containsExactly("10.0.0.0/8", "2001:db8::/32", "::1");
  }

  @Test
  void countryCodesAreTwoLettersNormalisedUpperCase() {
    assertThat(
            ConfigParser.parse(defaultsWith("p2p.bannedCountries", "de, Fr"))
                .p2p()
                .bannedCountries())
        .containsExactly("DE", "FR");
    assertThat(
            problems(
                defaultsWith(
                    "p2p.bannedCountries", new JsonArray().add("DE").add("USA").add("1x"))))
        .containsExactly(
            "p2p.bannedCountries[1]: 'USA' is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE)",
            "p2p.bannedCountries[2]: '1x' is not an ISO 3166-1 alpha-2 country code (two letters, e.g. DE)");
  }

  @Test
  void peerIdListsAreValidatedAndNormalised() {
    NodeConfig c = ConfigParser.parse(defaultsWith("p2p.trustedPeers", ID.toUpperCase()));
    assertThat(c.p2p().trustedPeers()).containsExactly(ID);
    assertThat(problems(defaultsWith("p2p.bannedPeers", new JsonArray().add(ID).add("abc"))))
        .containsExactly("p2p.bannedPeers[1]: 'abc' is not a peer id (64 hex characters)");
  }

  @ParameterizedTest
  @ValueSource(longs = {1000, 999})
  void heartbeatTimeoutMustExceedInterval(long timeout) {
    assertThat(problems(defaultsWith("p2p.heartbeatTimeoutMs", timeout)))
        .containsExactly(
            "p2p.heartbeatTimeoutMs: must exceed p2p.heartbeatIntervalMs (1000), got " + timeout);
  }

  @Test
  void heartbeatCheckIsSkippedWhenIntervalIsAlreadyBad() {
    assertThat(problems(defaultsWith("p2p.heartbeatIntervalMs", "soon")))
        .containsExactly("p2p.heartbeatIntervalMs: cannot parse 'soon' as an integer");
  }

  @Test
  void nonLoopbackAdminNeedsAToken() {
    assertThat(problems(defaultsWith("admin.listen", "0.0.0.0:9080")))
        .containsExactly(
            "admin.token: required when admin.listen (0.0.0.0:9080) is not a loopback address "
                + "(127.0.0.0/8, ::1, localhost)");
    JsonObject withToken = defaultsWith("admin.listen", "0.0.0.0:9080");
    set(withToken, "admin.token", "s3cret");
    assertThat(ConfigParser.parse(withToken).admin().isLoopback()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1:9080", "127.8.9.10:1", "[::1]:9080", "localhost:9080"})
  void loopbackAdminNeedsNoToken(String listen) {
    assertThat(ConfigParser.parse(defaultsWith("admin.listen", listen)).admin().isLoopback())
        .isTrue();
  }

  @Test
  void externalMustBeAdvertisable() {
    assertThat(
            ConfigParser.parse(defaultsWith("p2p.external", "203.0.113.5:9001")).p2p().advertised())
        .isEqualTo(new HostPort("203.0.113.5", 9001));
    assertThat(problems(defaultsWith("p2p.external", "0.0.0.0:9001")))
        .containsExactly(
            "p2p.external: a wildcard address cannot be advertised (got 0.0.0.0:9001)");
    assertThat(problems(defaultsWith("p2p.external", "203.0.113.5:0")))
        .containsExactly("p2p.external: port 0 cannot be advertised (got 203.0.113.5:0)");
  }

  @Test
  void geoipDatabaseIsAnOptionalPath() {
    assertThat(
            ConfigParser.parse(defaultsWith("p2p.geoipDatabase", "/opt/geo.mmdb"))
                .p2p()
                .geoipDatabase())
        .isEqualTo(Optional.of(Path.of("/opt/geo.mmdb")));
  }

  @ParameterizedTest
  @ValueSource(strings = {".p2p", "p2p.", "a..b", "a b", "p2p/x", ""})
  void badEventBusPrefixes(String prefix) {
    assertThat(problems(defaultsWith("eventBus.prefix", prefix)))
        .singleElement()
        .asString()
        .startsWith("eventBus.prefix: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"p2p", "node1.p2p", "A-b_c.9"})
  void goodEventBusPrefixes(String prefix) {
    assertThat(ConfigParser.parse(defaultsWith("eventBus.prefix", prefix)).eventBusPrefix())
        .isEqualTo(prefix);
  }

  @Test
  void unknownKeysAreErrorsWithASuggestion() {
    JsonObject json = defaultsWith("p2p.maxInbund", 5);
    json.put("colour", "blue");
    assertThat(problems(json))
        .containsExactly(
            "p2p.maxInbund: unknown key (did you mean p2p.maxInbound?)", "colour: unknown key");
  }

  @Test
  void aDottedNameAtTheTopLevelIsNotMistakenForANestedKey() {
    JsonObject json = ConfigDefaults.json().put("p2p.maxInbound", 5);
    assertThat(problems(json))
        .singleElement()
        .asString()
        .startsWith("p2p.maxInbound: unknown key (write it nested: 'p2p:' then 'maxInbound:'");
  }

  @Test
  void aSectionThatIsNotAMappingIsReported() {
    assertThat(problems(ConfigDefaults.json().put("admin", "127.0.0.1:9080")))
        .contains("admin: must be a section of keys (got 127.0.0.1:9080)");
  }

  @Test
  void clusterSettingsAreValidated() {
    JsonObject json = defaultsWith("cluster.port", 0);
    set(json, "cluster.members", "10.0.0.1, 10.0.0.2:5801");
    set(json, "cluster.host", "");
    assertThat(problems(json))
        .containsExactly(
            "cluster.host: must not be empty",
            "cluster.port: must be 1..65535 (got 0)",
            "cluster.members[1]: '10.0.0.2:5801' is not an IPv6 address (members are bare addresses, no port)");
  }

  @Test
  void everyProblemIsReportedNotJustTheFirst() {
    JsonObject json = defaultsWith("p2p.listen", "0.0.0.0:70000");
    set(json, "p2p.maxInbound", -1);
    set(json, "p2p.dial", "xyz");
    set(json, "p2p.bannedCountries", "DEU");
    set(json, "p2p.heartbeatTimeoutMs", 10);
    set(json, "admin.listen", "10.1.2.3:9080");
    set(json, "eventBus.prefix", "p2p.");
    set(json, "network", "");
    json.getJsonArray("topics").getJsonObject(0).put("colour", "red");
    List<String> problems = problems(json);
    assertThat(problems).hasSize(9);
    assertThat(problems)
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactlyInAnyOrder(
            "network",
            "p2p.listen",
            "p2p.maxInbound",
            "p2p.dial[0]",
            "p2p.bannedCountries[0]",
            "p2p.heartbeatTimeoutMs",
            "topics[0].colour",
            "admin.token",
            "eventBus.prefix");
  }
}
