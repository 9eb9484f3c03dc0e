package network.canopy.p2p.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineOverridesTest {
  static final String A = PeerAddressTest.ID + "@10.0.0.1:9001";
  static final String B = PeerAddressTest.ID + "@10.0.0.2:9001";

  @Test
  void namedFlagsMapToTheirKeys() {
    Map<String, String> map =
        new CommandLineOverrides()
            .dataDir("/d")
            .listen("0.0.0.0:1")
            .admin("127.0.0.1:2")
            .network("n")
            .cluster(true)
            .toMap();
    assertThat(map)
        .containsExactly(
            Map.entry("dataDir", "/d"),
            Map.entry("p2p.listen", "0.0.0.0:1"),
            Map.entry("admin.listen", "127.0.0.1:2"),
            Map.entry("network", "n"),
            Map.entry("cluster.enabled", "true"));
  }

  @Test
  void absentFlagsLeaveKeysToLowerLayers() {
    Map<String, String> map =
        new CommandLineOverrides()
            .dataDir(null)
            .listen(null)
            .admin(null)
            .network(null)
            .cluster(false)
            .dial(null)
            .set(null)
            .toMap();
    assertThat(map).isEmpty();
  }

  @Test
  void dialsFromFlagsAndSetAreJoined() {
    Map<String, String> map =
        new CommandLineOverrides()
            .dial(List.of(A))
            .set(List.of("p2p.dial=" + B, "p2p.maxInbound=3"))
            .toMap();
    assertThat(map).containsEntry("p2p.dial", A + "," + B).containsEntry("p2p.maxInbound", "3");
  }

  @Test
  void anEmptySetDialClearsLowerLayers() {
    assertThat(new CommandLineOverrides().set(List.of("p2p.dial=")).toMap())
        .containsExactly(Map.entry("p2p.dial", ""));
  }

  @Test
  void setComesAfterNamedFlagsAndALaterSetWins() {
    Map<String, String> map =
        new CommandLineOverrides()
            .network("flag")
            .set(List.of("network=first", "network=second", "admin.token=a=b"))
            .toMap();
    assertThat(map).containsEntry("network", "second").containsEntry("admin.token", "a=b");
  }

  @Test
  void malformedSetEntriesAreAllReported() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> new CommandLineOverrides().set(List.of("novalue", "=x", "ok=1", " =y")).toMap());
    assertThat(e.problems())
        .containsExactly(
            "--set: expected KEY=VALUE, got 'novalue'",
            "--set: expected KEY=VALUE, got '=x'",
            "--set: expected KEY=VALUE, got ' =y'");
  }
}
