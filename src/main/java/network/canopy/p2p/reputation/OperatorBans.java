package network.canopy.p2p.reputation;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Bans an operator made at run time ({@code /api/ban}): by peer id or by IP/CIDR, each until a time
 * (or for ever). A ban ends lazily, when it is next looked at. At most {@link #MAX_BANS}; past that
 * a new ban is refused rather than an old one forgotten. Not thread-safe: the PeerSet owns it.
 */
public final class OperatorBans {

  /** Most bans held: far more than an operator types, few enough to check every connection. */
  public static final int MAX_BANS = 10_000;

  /** One ban: of {@code peer} (a node id) or {@code ip} (the canonical range text), never both. */
  public record Ban(String peer, IpRange ip, long until, String reason) {
    public String target() {
      return peer != null ? peer : ip.text();
    }
  }

  private final LongSupplier clock;
  private final Map<String, Ban> byPeer = new LinkedHashMap<>();
  private final Map<String, Ban> byIp = new LinkedHashMap<>();

  /**
   * @param clock wall-clock millis, the clock of every {@code until}
   */
  public OperatorBans(LongSupplier clock) {
    this.clock = clock;
  }

  /** Adds or replaces a ban; false (nothing changed) when {@link #MAX_BANS} are held already. */
  public boolean add(Ban ban) {
    Map<String, Ban> map = ban.peer() != null ? byPeer : byIp;
    expire();
    if (!map.containsKey(ban.target()) && byPeer.size() + byIp.size() >= MAX_BANS) {
      return false;
    }
    map.put(ban.target(), ban);
    return true;
  }

  /** Lifts the ban of a peer id; false when there was none. */
  public boolean removePeer(String peerId) {
    return live(byPeer.remove(peerId));
  }

  /** Lifts the ban of exactly this IP or range (as banned); false when there was none. */
  public boolean removeIp(IpRange range) {
    return live(byIp.remove(range.text()));
  }

  /** The ban that refuses this peer id, if any. */
  public Optional<Ban> ofPeer(String peerId) {
    Ban ban = byPeer.get(peerId);
    return live(ban) ? Optional.of(ban) : Optional.empty();
  }

  /** The first ban whose range holds {@code address}, if any. */
  public Optional<Ban> ofAddress(InetAddress address) {
    for (Ban ban : byIp.values()) {
      if (live(ban) && ban.ip().contains(address)) {
        return Optional.of(ban);
      }
    }
    return Optional.empty();
  }

  /** Every ban in force, peers first, each in the order made. */
  public List<Ban> list() {
    expire();
    List<Ban> all = new ArrayList<>(byPeer.values());
    all.addAll(byIp.values());
    return all;
  }

  private boolean live(Ban ban) {
    return ban != null && clock.getAsLong() < ban.until();
  }

  private void expire() {
    byPeer.values().removeIf(b -> !live(b));
    byIp.values().removeIf(b -> !live(b));
  }
}
