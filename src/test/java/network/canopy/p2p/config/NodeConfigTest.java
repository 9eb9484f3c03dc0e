package network.canopy.p2p.config;

import static network.canopy.p2p.config.ConfigJson.defaultsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  @Test
  void topicLookups() {
    NodeConfig c = NodeConfig.defaults();
    assertThat(c.topic("block_request")).get().extracting(TopicConfig::id).isEqualTo(3);
    assertThat(c.topic("nope")).isEmpty();
    assertThat(c.topicById(4)).get().extracting(TopicConfig::name).isEqualTo("tx");
    assertThat(c.topicById(TopicConfig.CONTROL_ID)).isEmpty();
  }

  @Test
  void toJsonReproducesTheEffectiveConfigInTheFileLayout() {
    assertThat(NodeConfig.defaults().toJson()).isEqualTo(ConfigDefaults.json());
    JsonObject changed = defaultsWith("p2p.external", "[2001:db8::1]:9001");
    changed
        .getJsonObject("p2p")
        .put("dial", PeerAddressTest.ID + "@h:1")
        .put("geoipDatabase", "/g.mmdb");
    NodeConfig c = ConfigParser.parse(changed);
    assertThat(ConfigParser.parse(c.toJson())).isEqualTo(c);
    assertThat(c.toJson().getJsonObject("p2p").getString("external"))
        .isEqualTo("[2001:db8::1]:9001");
  }

  @Test
  void theAdminTokenIsRedactedWhereverItIsShown() {
    NodeConfig c = ConfigParser.parse(defaultsWith("admin.token", "s3cret"));
    assertThat(c.admin().token()).isEqualTo("s3cret");
    assertThat(c.toJson().getJsonObject("admin").getString("token"))
        .isEqualTo(AdminConfig.REDACTED);
    assertThat(c.toJson().encode()).doesNotContain("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
    assertThat(NodeConfig.defaults().toJson().getJsonObject("admin").getString("token")).isEmpty();
  }

  @Test
  void configSourceDoesNotPrintValues() {
    ConfigSource s =
        ConfigSource.of(null, Map.of("P2P_ADMIN_TOKEN", "s3cret"), Map.of("admin.token", "t0ken"));
    assertThat(s.configFile()).isEqualTo(ConfigSource.DEFAULT_CONFIG_FILE);
    assertThat(s.configFileExplicit()).isFalse();
    assertThat(s.toString())
        .doesNotContain("s3cret")
        .doesNotContain("t0ken")
        .contains("admin.token");
  }

  @Test
  void recordsAreImmutable() {
    NodeConfig c = NodeConfig.defaults();
    assertThatThrownBy(() -> c.topics().clear()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> c.cluster().members().add("x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
