package network.canopy.p2p.reputation;

/**
 * One peer's standing, for the API and peer events: its decayed score, when its ban ends ({@link
 * BanList#NOT_BANNED}, a millis time, or {@link BanList#FOREVER}), how many temporary bans are
 * remembered, and why the last one was made (null when none).
 */
public record PeerReputation(
    String peerId, double score, long bannedUntil, int banCount, String banReason) {

  public boolean banned() {
    return bannedUntil != BanList.NOT_BANNED;
  }
}
