package network.canopy.p2p.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountryLookupTest {

  @TempDir Path dir;

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void bundledDatabaseKnowsWellKnownPublicAddresses() throws Exception {
    try (CountryLookup lookup = CountryLookup.bundled()) {
      // Google Public DNS: registered to Google LLC in the US for as long as it has existed.
      assertThat(lookup.country(ip("8.8.8.8"))).contains("US");
      assertThat(lookup.country(ip("2001:4860:4860::8888"))).contains("US");
      assertThat(lookup.country(ip("8.8.8.8")).orElseThrow()).matches("[A-Z]{2}");
      assertThat(lookup.country(ip("127.0.0.1"))).isEmpty();
      assertThat(lookup.country(ip("10.1.2.3"))).isEmpty();
      assertThat(lookup.source()).contains("bundled");
    }
  }

  @Test
  void tinyDatabaseMapsItsOneNetwork() throws Exception {
    Path file = TinyMmdb.write(dir.resolve("tiny.mmdb"), new byte[] {127, 0, 0, 0}, 8, "XX");
    try (CountryLookup lookup = CountryLookup.open(file)) {
      assertThat(lookup.country(ip("127.0.0.1"))).contains("XX");
      assertThat(lookup.country(ip("127.255.255.254"))).contains("XX");
      assertThat(lookup.country(ip("126.0.0.1"))).isEmpty();
      assertThat(lookup.country(ip("128.0.0.1"))).isEmpty();
      assertThat(lookup.country(ip("::1"))).as("IPv6 in an IPv4-only database").isEmpty();
    }
  }

  @Test
  void aGivenPathWinsOverTheBundledDatabase() throws Exception {
    Path file = TinyMmdb.write(dir.resolve("tiny.mmdb"), new byte[] {8, 8, 8, 0}, 24, "ZZ");
    try (CountryLookup lookup = CountryLookup.open(Optional.of(file))) {
      assertThat(lookup.country(ip("8.8.8.8"))).contains("ZZ");
      assertThat(lookup.source()).isEqualTo(file.toString());
    }
  }

  @Test
  void missingFileIsRefusedNamingThePath() {
    Path missing = dir.resolve("nowhere.mmdb");
    assertThatThrownBy(() -> CountryLookup.open(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void fileThatIsNotAnMmdbIsRefusedNamingThePath() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.mmdb"), "not a database");
    assertThatThrownBy(() -> CountryLookup.open(junk))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(junk.toString());
  }

  @Test
  void directoryIsRefusedNamingThePath() {
    assertThatThrownBy(() -> CountryLookup.open(dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("not a readable file");
  }
}
