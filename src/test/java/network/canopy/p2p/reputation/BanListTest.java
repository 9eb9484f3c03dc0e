package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

class BanListTest {

  private static final long MINUTE = 60_000;
  private static final long HOUR = 60 * MINUTE;
  private static final long DAY = 24 * HOUR;

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final BanList bans =
      new BanList(
          ReputationSettings.defaults(),
          clock,
          Set.of("trusted", "both"),
          Set.of("configured", "both"));

  @Test
  void banLengthsDoubleFromOneMinuteAndStopAtADay() {
    assertThat(bans.duration(1)).isEqualTo(MINUTE);
    assertThat(bans.duration(2)).isEqualTo(2 * MINUTE);
    assertThat(bans.duration(3)).isEqualTo(4 * MINUTE);
    assertThat(bans.duration(11)).isEqualTo(1024 * MINUTE);
    assertThat(bans.duration(12)).isEqualTo(DAY);
    assertThat(bans.duration(1_000)).isEqualTo(DAY);
  }

  @Test
  void aBanLastsItsDurationThenLapsesAndTheNextIsLonger() {
    long start = clock.getAsLong();
    assertThat(bans.isBanned("p")).isFalse();
    assertThat(bans.bannedUntil("p")).isEqualTo(BanList.NOT_BANNED);

    long until = bans.ban("p", "MALFORMED_PACKET");
    assertThat(until).isEqualTo(start + MINUTE);
    assertThat(bans.banReason("p")).isEqualTo("MALFORMED_PACKET");
    clock.set(until - 1);
    assertThat(bans.isBanned("p")).isTrue();
    assertThat(bans.bannedUntil("p")).isEqualTo(until);
    clock.set(until);
    assertThat(bans.isBanned("p")).isFalse();
    assertThat(bans.bannedUntil("p")).isEqualTo(BanList.NOT_BANNED);
    assertThat(bans.banCount("p")).isEqualTo(1);

    assertThat(bans.ban("p", "UNKNOWN_TOPIC")).isEqualTo(until + 2 * MINUTE);
    assertThat(bans.banCount("p")).isEqualTo(2);
  }

  @Test
  void isBannedAtAGivenTime() {
    long until = bans.ban("p", "x");
    assertThat(bans.isBanned("p", until - 1)).isTrue();
    assertThat(bans.isBanned("p", until)).isFalse();
  }

  @Test
  void banningABannedPeerNeitherExtendsNorCounts() {
    long until = bans.ban("p", "first");
    clock.advance(30_000);
    assertThat(bans.ban("p", "second")).isEqualTo(until);
    assertThat(bans.banCount("p")).isEqualTo(1);
    assertThat(bans.banReason("p")).isEqualTo("first");
  }

  @Test
  void theRepeatCountIsForgottenAfterAQuietDay() {
    long until = bans.ban("p", "x");
    clock.set(until);
    until = bans.ban("p", "x");
    clock.set(until + DAY - 1);
    assertThat(bans.banCount("p")).isEqualTo(2);
    clock.set(until + DAY);
    assertThat(bans.banCount("p")).isZero();
    assertThat(bans.ids()).doesNotContain("p");
    assertThat(bans.ban("p", "x")).isEqualTo(clock.getAsLong() + MINUTE);
  }

  @Test
  void trustedIdsAreNeverBanned() {
    assertThat(bans.ban("trusted", "x")).isEqualTo(BanList.NOT_BANNED);
    assertThat(bans.isBanned("trusted")).isFalse();
    assertThat(bans.banCount("trusted")).isZero();
    assertThat(bans.isTrusted("trusted")).isTrue();
  }

  @Test
  void configuredIdsAreBannedForEverEvenWhenAlsoTrusted() {
    for (String id : new String[] {"configured", "both"}) {
      assertThat(bans.bannedUntil(id)).isEqualTo(BanList.FOREVER);
      assertThat(bans.ban(id, "x")).isEqualTo(BanList.FOREVER);
      assertThat(bans.banReason(id)).isEqualTo(BanList.CONFIGURED);
      clock.advance(100 * 365 * DAY);
      assertThat(bans.isBanned(id)).isTrue();
    }
    assertThat(bans.ids()).containsExactly("both", "configured");
  }

  @Test
  void overTheCapTheBanEndingFirstGoesEvenIfActiveButNeverTheNewOne() {
    BanList small =
        new BanList(ReputationSettings.defaults().withMaxBanned(1), clock, Set.of(), Set.of());
    long a = small.ban("a", "x");
    clock.set(a);
    small.ban("a", "x"); // second ban: 2 minutes
    small.ban("b", "x"); // 1 minute: ends first, yet it is the one just made
    assertThat(small.ids()).containsExactly("b");
    assertThat(small.isBanned("b")).isTrue();

    clock.advance(1_000);
    small.ban("c", "x");
    assertThat(small.ids()).containsExactly("c");
  }

  @Test
  void settingsAreValidated() {
    assertThatThrownBy(() -> new ReputationSettings(-50, -60, 1, 1, 1, 1, 1, 0))
        .hasMessageContaining("probationScore");
    assertThatThrownBy(() -> new ReputationSettings(-50, -25, 1, 1, 1, 10, 5, 0))
        .hasMessageContaining("maxBanMillis");
    assertThatThrownBy(() -> ReputationSettings.defaults().withMaxTracked(0))
        .hasMessageContaining("maxTracked");
    assertThatThrownBy(() -> ReputationSettings.defaults().withMaxBanned(0))
        .hasMessageContaining("maxBanned");
  }
}
