package network.canopy.p2p.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import network.canopy.p2p.conn.CloseReason;
import org.junit.jupiter.api.Test;

/** What a peer's GOODBYE says about how long it bans this node, as the redialer reads it. */
class BanNoticeTest {

  private static final long NOW = Instant.parse("2026-11-29T18:00:00Z").toEpochMilli();

  @Test
  void theEndOfAnAnnouncedBanIsWhenToDialAgain() {
    long end = Instant.parse("2026-11-29T18:05:00.250Z").toEpochMilli();
    assertThat(BanNotice.until(CloseReason.GOODBYE, "banned until 2026-11-29T18:05:00.250Z", NOW))
        .hasValue(end);
    assertThat(
            BanNotice.until(
                CloseReason.GOODBYE, "banned by operator until 2026-11-29T18:05:00.250Z", NOW))
        .hasValue(end);
  }

  @Test
  void aBanWithoutEndWaitsAnHourAndNoPeerSilencesALinkForMoreThanADay() {
    assertThat(BanNotice.until(CloseReason.GOODBYE, "banned peer", NOW)).hasValue(NOW + 3_600_000L);
    assertThat(BanNotice.until(CloseReason.GOODBYE, "banned until 2027-11-29T18:00:00Z", NOW))
        .hasValue(NOW + 24 * 3_600_000L);
  }

  @Test
  void anythingElseLeavesTheUsualBackoff() {
    assertThat(BanNotice.until(CloseReason.GOODBYE, "inbound limit 8", NOW))
        .isEqualTo(OptionalLong.empty());
    assertThat(BanNotice.until(CloseReason.GOODBYE, "banned: INVALID_PEX", NOW))
        .isEqualTo(OptionalLong.empty());
    assertThat(BanNotice.until(CloseReason.GOODBYE, "banned until tomorrow", NOW))
        .isEqualTo(OptionalLong.empty());
    assertThat(BanNotice.until(CloseReason.REMOTE_CLOSED, "banned until 2026-11-29T18:05:00Z", NOW))
        .isEqualTo(OptionalLong.empty());
  }
}
