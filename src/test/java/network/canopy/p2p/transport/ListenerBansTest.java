package network.canopy.p2p.transport;

import static network.canopy.p2p.transport.ListenerFixture.LOOPBACK;
import static network.canopy.p2p.transport.ListenerFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IP, CIDR and country bans, seen through real loopback connections to a deployed listener. */
class ListenerBansTest {

  private final ListenerFixture net = new ListenerFixture();

  @TempDir Path dir;

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  @Test
  void bannedIpIsClosedBeforeAnyHandshakeByte() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("bannedIps", List.of("127.0.0.1")));

    net.probe(listener).awaitRefused();
    net.probe(listener).awaitRefused();

    assertThat(net.refused("banned_ip")).isEqualTo(2);
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isZero();
    assertThat(listener.filter().limits().pendingHandshakes()).isZero();
  }

  @Test
  void bannedCidrIsClosedBeforeAnyHandshakeByte() throws Exception {
    ListenerVerticle listener =
        net.listen(Map.of("bannedIps", List.of("10.0.0.0/8", "127.0.0.0/8")));

    net.probe(listener).awaitRefused();

    assertThat(net.refused("banned_ip")).isEqualTo(1);
  }

  @Test
  void ipv6CidrThatDoesNotMatchLetsLoopbackIn() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("bannedIps", List.of("2001:db8::/32", "::/0")));

    ListenerFixture.Probe probe = net.probe(listener).awaitAdmitted();

    assertThat(probe.bytes.get()).isPositive();
    assertThat(net.refused("banned_ip")).isZero();
    assertThat(listener.filter().limits().openFrom(LOOPBACK)).isEqualTo(1);
  }

  @Test
  void bannedCountryIsClosedBeforeAnyHandshakeByte() throws Exception {
    Path db = TinyMmdb.write(dir.resolve("xx.mmdb"), new byte[] {127, 0, 0, 0}, 8, "XX");
    ListenerVerticle listener =
        net.listen(Map.of("bannedCountries", List.of("XX"), "geoipDatabase", db.toString()));

    net.probe(listener).awaitRefused();

    assertThat(net.refused("banned_country")).isEqualTo(1);
    assertThat(net.refused("banned_ip")).isZero();
  }

  @Test
  void otherCountriesAreLetIn() throws Exception {
    Path db = TinyMmdb.write(dir.resolve("xx.mmdb"), new byte[] {127, 0, 0, 0}, 8, "XX");
    ListenerVerticle listener =
        net.listen(Map.of("bannedCountries", List.of("YY", "ZZ"), "geoipDatabase", db.toString()));

    net.probe(listener).awaitAdmitted();

    assertThat(net.refused("banned_country")).isZero();
  }

  @Test
  void bannedIpIsCheckedBeforeCountry() throws Exception {
    Path db = TinyMmdb.write(dir.resolve("xx.mmdb"), new byte[] {127, 0, 0, 0}, 8, "XX");
    ListenerVerticle listener =
        net.listen(
            Map.of(
                "bannedIps",
                List.of("127.0.0.1"),
                "bannedCountries",
                List.of("XX"),
                "geoipDatabase",
                db.toString()));

    net.probe(listener).awaitRefused();

    assertThat(net.refused("banned_ip")).isEqualTo(1);
    assertThat(net.refused("banned_country")).isZero();
  }

  @Test
  void missingGeoipFileFailsTheDeploymentNamingThePath() {
    Path missing = dir.resolve("missing.mmdb");
    ListenerVerticle listener =
        new ListenerVerticle(
            ListenerFixture.p2p(
                Map.of("bannedCountries", List.of("XX"), "geoipDatabase", missing.toString())),
            256,
            2,
            () -> net.serverCredentials,
            net.authenticated::add,
            net.metrics);

    Future<String> deployed = net.vertx.deployVerticle(listener);

    assertThat(failure(deployed)).hasMessageContaining(missing.toString());
  }

  @Test
  void geoipFileIsNotReadWhenNoCountryIsBanned() throws Exception {
    Path missing = dir.resolve("missing.mmdb");
    ListenerVerticle listener = net.listen(Map.of("geoipDatabase", missing.toString()));

    assertThat(listener.filter().countries()).isEmpty();
    net.probe(listener).awaitAdmitted();
  }

  @Test
  void bundledDatabaseIsUsedWhenNoPathIsGiven() throws Exception {
    ListenerVerticle listener = net.listen(Map.of("bannedCountries", List.of("US")));

    assertThat(listener.filter().countries().orElseThrow().source()).contains("bundled");
    // The bundled database places no loopback address in any country.
    net.probe(listener).awaitAdmitted();
    assertThat(net.refused("banned_country")).isZero();
  }

  private static Throwable failure(Future<?> future) {
    try {
      await(future);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError("deployment did not fail", e);
    }
    throw new AssertionError("deployment succeeded");
  }
}
