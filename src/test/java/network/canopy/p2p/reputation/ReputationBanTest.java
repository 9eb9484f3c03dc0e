package network.canopy.p2p.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import java.util.Set;
import network.canopy.p2p.config.ConfigDefaults;
import network.canopy.p2p.config.ConfigParser;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.testkit.ManualClock;
import org.junit.jupiter.api.Test;

/** Scores that reach the threshold: bans, their length, release, repeat offences, exemptions. */
class ReputationBanTest {

  private static final long MINUTE = 60_000;

  private final ManualClock clock = new ManualClock(1_700_000_000_000L);
  private final Reputation r =
      Reputation.create(
          ReputationSettings.defaults(), clock, Set.of("trusted"), Set.of("configured"));

  @Test
  void repeatedMalformedPacketsBanThePeerUntilTheBanEndsAndASecondOffenceBansLonger() {
    assertThat(closedWith(CloseReason.MALFORMED_PACKET).verdict()).isEqualTo(Reputation.Verdict.OK);
    clock.advance(5_000); // it reconnects and does it again
    Reputation.Outcome banned = closedWith(CloseReason.MALFORMED_PACKET);
    assertThat(banned.verdict()).isEqualTo(Reputation.Verdict.BANNED);
    assertThat(banned.disconnect()).isTrue();
    assertThat(banned.score()).isLessThanOrEqualTo(-50);
    assertThat(banned.bannedUntil()).isEqualTo(clock.getAsLong() + MINUTE);

    clock.set(banned.bannedUntil() - 1);
    assertThat(r.isBanned("p")).isTrue();
    clock.set(banned.bannedUntil());
    assertThat(r.isBanned("p")).isFalse();
    // Back on probation: close to the threshold, so the next serious fault bans again, for longer.
    assertThat(r.score("p")).isCloseTo(-25, within(0.5));
    Reputation.Outcome again = closedWith(CloseReason.UNKNOWN_TOPIC);
    assertThat(again.verdict()).isEqualTo(Reputation.Verdict.BANNED);
    assertThat(again.bannedUntil()).isEqualTo(clock.getAsLong() + 2 * MINUTE);
    assertThat(r.standing("p").banCount()).isEqualTo(2);
    assertThat(r.standing("p").banReason()).isEqualTo("UNKNOWN_TOPIC");
  }

  @Test
  void twoPacketErrorsBanWithinAbout35MinutesButNotLater() {
    r.record("p", ReputationEvent.MALFORMED_PACKET);
    clock.advance(35 * MINUTE);
    assertThat(r.record("p", ReputationEvent.MALFORMED_PACKET).verdict())
        .isEqualTo(Reputation.Verdict.BANNED);
    r.record("q", ReputationEvent.MALFORMED_PACKET);
    clock.advance(36 * MINUTE);
    assertThat(r.record("q", ReputationEvent.MALFORMED_PACKET).verdict())
        .isEqualTo(Reputation.Verdict.OK);
  }

  @Test
  void aHeartbeatTimeoutOnProbationDoesNotBanAgain() {
    r.record("p", ReputationEvent.MALFORMED_PACKET);
    long until = r.record("p", ReputationEvent.MALFORMED_PACKET).bannedUntil();
    clock.set(until);
    assertThat(closedWith(CloseReason.HEARTBEAT_TIMEOUT).verdict())
        .isEqualTo(Reputation.Verdict.OK);
    assertThat(r.isBanned("p")).isFalse();
  }

  @Test
  void eventsDuringABanAreIgnored() {
    r.record("p", ReputationEvent.INVALID_MESSAGE);
    r.record("p", ReputationEvent.INVALID_MESSAGE);
    Reputation.Outcome banned = r.record("p", ReputationEvent.INVALID_MESSAGE);
    assertThat(banned.verdict()).isEqualTo(Reputation.Verdict.BANNED);
    clock.advance(1_000);
    for (int i = 0; i < 5; i++) {
      Reputation.Outcome o = r.record("p", ReputationEvent.INVALID_MESSAGE);
      assertThat(o.verdict()).isEqualTo(Reputation.Verdict.STILL_BANNED);
      assertThat(o.disconnect()).isTrue();
      assertThat(o.bannedUntil()).isEqualTo(banned.bannedUntil());
    }
    assertThat(r.score("p")).isCloseTo(-25, within(0.01));
    assertThat(r.standing("p").banCount()).isEqualTo(1);
  }

  @Test
  void trustedPeersAreNeverBannedWhateverTheirScore() {
    for (int i = 0; i < 20; i++) {
      Reputation.Outcome o = r.record("trusted", ReputationEvent.LENGTH_MISMATCH);
      assertThat(o.disconnect()).isFalse();
      assertThat(o.bannedUntil()).isEqualTo(BanList.NOT_BANNED);
      if (o.score() <= -50) {
        assertThat(o.verdict()).isEqualTo(Reputation.Verdict.TRUSTED);
      }
    }
    assertThat(r.score("trusted")).isEqualTo(Reputation.MIN_SCORE);
    assertThat(r.isBanned("trusted")).isFalse();
    assertThat(r.bans().ban("trusted", "operator")).isEqualTo(BanList.NOT_BANNED);
  }

  @Test
  void configuredIdsAreBannedForEver() {
    assertThat(r.isBanned("configured")).isTrue();
    clock.advance(10L * 365 * 24 * 60 * MINUTE);
    assertThat(r.isBanned("configured")).isTrue();
    Reputation.Outcome o = r.record("configured", ReputationEvent.GOOD_MESSAGE);
    assertThat(o.verdict()).isEqualTo(Reputation.Verdict.STILL_BANNED);
    assertThat(o.bannedUntil()).isEqualTo(BanList.FOREVER);
  }

  @Test
  void forConfigTakesTrustedAndBannedPeersFromTheConfig() {
    String trusted = "aa".repeat(32);
    String banned = "bb".repeat(32);
    var json = ConfigDefaults.json();
    json.getJsonObject("p2p")
        .put("trustedPeers", new JsonArray().add(trusted))
        .put("bannedPeers", new JsonArray().add(banned));
    P2pConfig p2p = ConfigParser.parse(json).p2p();
    Reputation fromConfig = Reputation.forConfig(p2p, clock);
    assertThat(fromConfig.bans().isTrusted(trusted)).isTrue();
    assertThat(fromConfig.standing(banned).bannedUntil()).isEqualTo(BanList.FOREVER);
  }

  private Reputation.Outcome closedWith(CloseReason reason) {
    return r.record("p", ReputationEvent.of(reason).orElseThrow());
  }
}
