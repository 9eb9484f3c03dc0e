package network.canopy.p2p.reputation;

/**
 * The tunables of reputation and bans. {@link #defaults()} is what a node uses; tests shrink the
 * caps. All durations are in milliseconds.
 *
 * @param banThreshold a peer whose score falls to or below this is banned (unless trusted)
 * @param probationScore the score a peer keeps after being banned: it returns close enough to the
 *     threshold that one more serious fault bans it again, but a lapse such as a heartbeat timeout
 *     does not
 * @param halfLifeMillis scores decay toward 0, halving every half-life
 * @param maxTracked the most peers whose score is kept
 * @param maxBanned the most peers whose ban (current or remembered) is kept; beyond it the ban
 *     ending first is dropped, which can release a peer early, so it should exceed any plausible
 *     number of peers banned at once
 * @param firstBanMillis the length of a first ban; each repeat doubles it
 * @param maxBanMillis the longest temporary ban
 * @param banMemoryMillis how long after a ban ends its repeat count is remembered; a peer quiet for
 *     that long starts again from the first ban length
 */
public record ReputationSettings(
    double banThreshold,
    double probationScore,
    long halfLifeMillis,
    int maxTracked,
    int maxBanned,
    long firstBanMillis,
    long maxBanMillis,
    long banMemoryMillis) {

  private static final long MINUTE = 60_000L;
  private static final long HOUR = 60 * MINUTE;

  public ReputationSettings {
    require(banThreshold > Reputation.MIN_SCORE && banThreshold < 0, "banThreshold in (-100, 0)");
    require(
        probationScore > banThreshold && probationScore <= 0,
        "probationScore in (banThreshold, 0]");
    require(halfLifeMillis > 0, "halfLifeMillis > 0");
    require(maxTracked > 0, "maxTracked > 0");
    require(maxBanned > 0, "maxBanned > 0");
    require(firstBanMillis > 0, "firstBanMillis > 0");
    // The upper bound keeps the doubling and now + duration far from overflow.
    require(
        maxBanMillis >= firstBanMillis && maxBanMillis <= 365 * 24 * HOUR,
        "maxBanMillis in [firstBanMillis, 365 days]");
    require(banMemoryMillis >= 0, "banMemoryMillis >= 0");
  }

  /**
   * Threshold -50, probation -25, half-life 1 h, 10 000 scores and 10 000 bans kept, bans of 1 min
   * doubling to 24 h, remembered 24 h.
   */
  public static ReputationSettings defaults() {
    return new ReputationSettings(-50, -25, HOUR, 10_000, 10_000, MINUTE, 24 * HOUR, 24 * HOUR);
  }

  /** The same settings with another first-ban length (the cap stays at least that long). */
  public ReputationSettings withFirstBanMillis(long millis) {
    return new ReputationSettings(
        banThreshold,
        probationScore,
        halfLifeMillis,
        maxTracked,
        maxBanned,
        millis,
        Math.max(maxBanMillis, millis),
        banMemoryMillis);
  }

  /** The same settings with another cap on scores kept. */
  public ReputationSettings withMaxTracked(int max) {
    return new ReputationSettings(
        banThreshold,
        probationScore,
        halfLifeMillis,
        max,
        maxBanned,
        firstBanMillis,
        maxBanMillis,
        banMemoryMillis);
  }

  /** The same settings with another cap on bans kept. */
  public ReputationSettings withMaxBanned(int max) {
    return new ReputationSettings(
        banThreshold,
        probationScore,
        halfLifeMillis,
        maxTracked,
        max,
        firstBanMillis,
        maxBanMillis,
        banMemoryMillis);
  }

  private static void require(boolean ok, String rule) {
    if (!ok) {
      throw new IllegalArgumentException("reputation settings: " + rule);
    }
  }
}
