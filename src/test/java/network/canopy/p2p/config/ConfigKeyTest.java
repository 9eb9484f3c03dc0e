package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

  @Test
  void envNamesArePrefixedUpperCasedWithUnderscores() {
    assertThat(ConfigKey.P2P_MAX_INBOUND.envVar()).isEqualTo("P2P_P2P_MAXINBOUND");
    assertThat(ConfigKey.DATA_DIR.envVar()).isEqualTo("P2P_DATADIR");
    assertThat(ConfigKey.EVENT_BUS_PREFIX.envVar()).isEqualTo("P2P_EVENTBUS_PREFIX");
    assertThat(ConfigKey.TOPICS.envVar()).isEqualTo("P2P_TOPICS");
  }

  @Test
  void envNamesAreUnique() {
    assertThat(Arrays.stream(ConfigKey.values()).map(ConfigKey::envVar).distinct())
        .hasSize(ConfigKey.values().length);
  }

  @Test
  void keysAndDefaultsCoverEachOther() {
    Set<String> defaultKeys = new HashSet<>();
    collectKeys(ConfigDefaults.json(), "", defaultKeys);
    assertThat(defaultKeys)
        .containsExactlyInAnyOrderElementsOf(
            Arrays.stream(ConfigKey.values()).map(ConfigKey::key).toList());
  }

  private static void collectKeys(JsonObject json, String path, Set<String> out) {
    for (String field : json.fieldNames()) {
      String key = path.isEmpty() ? field : path + "." + field;
      if (json.getValue(field) instanceof JsonObject section) {
        collectKeys(section, key, out);
      } else {
        out.add(key);
      }
    }
  }

  @Test
  void lookupBySectionsAndKeys() {
    assertThat(ConfigKey.sections())
        .containsExactlyInAnyOrder("p2p", "admin", "eventBus", "cluster", "cluster.tls", "gossip");
    assertThat(ConfigKey.CLUSTER_TLS_CA.envVar()).isEqualTo("P2P_CLUSTER_TLS_CA");
    assertThat(ConfigKey.byKey("p2p.maxInbound")).contains(ConfigKey.P2P_MAX_INBOUND);
    assertThat(ConfigKey.byKey("p2p.maxinbound")).isEmpty();
  }
}
