package network.canopy.p2p.reputation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import network.canopy.p2p.config.P2pConfig;

/**
 * The book of peer scores (connected or not, so a reconnecting misbehaver keeps its score until it
 * decays) and the bans they lead to. Not thread-safe: the PeerSet owns it and calls it on one
 * context. See {@link ReputationEvent} for the points and the Reputation section of
 * docs/ARCHITECTURE.md for the rules.
 */
public final class Reputation {

  /** The lowest score; {@link ReputationEvent} points are on this scale. */
  public static final double MIN_SCORE = -100;

  /** The highest score. */
  public static final double MAX_SCORE = 100;

  /** What the caller should do after an event. */
  public enum Verdict {
    /** Nothing: the peer is in good enough standing. */
    OK,
    /** This event crossed the threshold and banned the peer: disconnect it and publish the ban. */
    BANNED,
    /** The peer was already banned, and the event was ignored: make sure it is disconnected. */
    STILL_BANNED,
    /**
     * The score is at or below the threshold, but the peer is trusted: keep it (and perhaps warn).
     */
    TRUSTED
  }

  /**
   * The result of {@link #record}: the score the event produced (the book then holds the probation
   * score if it banned the peer), the verdict, and when the ban ends ({@link BanList#NOT_BANNED},
   * millis, or {@link BanList#FOREVER}).
   */
  public record Outcome(double score, Verdict verdict, long bannedUntil) {

    /** True when the peer must not stay connected. */
    public boolean disconnect() {
      return verdict == Verdict.BANNED || verdict == Verdict.STILL_BANNED;
    }
  }

  private final ReputationSettings settings;
  private final LongSupplier clock;
  private final BanList bans;
  private final ScoreBook scores;

  /** {@code bans} must read the same clock. */
  public Reputation(ReputationSettings settings, LongSupplier clock, BanList bans) {
    this.settings = settings;
    this.clock = clock;
    this.bans = bans;
    this.scores = new ScoreBook(settings.halfLifeMillis(), settings.maxTracked());
  }

  /** A book with its own ban list for these trusted and permanently banned ids. */
  public static Reputation create(
      ReputationSettings settings,
      LongSupplier clock,
      Collection<String> trusted,
      Collection<String> banned) {
    BanList bans = new BanList(settings, clock, Set.copyOf(trusted), Set.copyOf(banned));
    return new Reputation(settings, clock, bans);
  }

  /** The default book for a node: {@code p2p.trustedPeers} and {@code p2p.bannedPeers}. */
  public static Reputation forConfig(P2pConfig p2p, LongSupplier clock) {
    return create(
        ReputationSettings.defaults().withFirstBanMillis(p2p.banDurationMs()),
        clock,
        p2p.trustedPeers(),
        p2p.bannedPeers());
  }

  /**
   * Applies {@code event} to the peer's decayed score and bans it if the score reaches the
   * threshold. While a peer is banned its events are ignored: they are the tail of the offence
   * already punished (messages in flight), and must neither lengthen the ban nor count again.
   */
  public Outcome record(String peerId, ReputationEvent event) {
    return record(peerId, event, event.points());
  }

  /**
   * As {@link #record(String, ReputationEvent)}, worth {@code points} instead of the event's own (a
   * report or the config says how many); the event's ceiling still applies.
   */
  public Outcome record(String peerId, ReputationEvent event, double points) {
    long now = clock.getAsLong();
    long until = bans.bannedUntil(peerId);
    if (until != BanList.NOT_BANNED) {
      return new Outcome(scores.get(peerId, now), Verdict.STILL_BANNED, until);
    }
    double score = event.applyTo(scores.get(peerId, now), points);
    if (score > settings.banThreshold()) {
      scores.put(peerId, score, now);
      return new Outcome(score, Verdict.OK, BanList.NOT_BANNED);
    }
    if (bans.isTrusted(peerId)) {
      scores.put(peerId, score, now);
      return new Outcome(score, Verdict.TRUSTED, BanList.NOT_BANNED);
    }
    until = bans.ban(peerId, event.name());
    scores.put(peerId, settings.probationScore(), now);
    return new Outcome(score, Verdict.BANNED, until);
  }

  /** The peer's score now (decayed); 0 for a peer not tracked. */
  public double score(String peerId) {
    return scores.get(peerId, clock.getAsLong());
  }

  /** True when this book has a score or a (current or remembered) ban for the peer. */
  public boolean knows(String peerId) {
    return scores.ids(clock.getAsLong()).contains(peerId) || bans.ids().contains(peerId);
  }

  /** True when the peer may not connect (permanent or temporary ban). */
  public boolean isBanned(String peerId) {
    return bans.isBanned(peerId);
  }

  /** The ban list, for admission checks and operator bans. */
  public BanList bans() {
    return bans;
  }

  /** One peer's standing now. */
  public PeerReputation standing(String peerId) {
    return new PeerReputation(
        peerId,
        score(peerId),
        bans.bannedUntil(peerId),
        bans.banCount(peerId),
        bans.banReason(peerId));
  }

  /**
   * Every peer with a non-neutral score or a ban (current, remembered or permanent), worst score
   * first, ties by id. Neutral entries are forgotten on the way, so this also trims the book.
   */
  public List<PeerReputation> snapshot() {
    Set<String> ids = new TreeSet<>(scores.ids(clock.getAsLong()));
    ids.addAll(bans.ids());
    List<PeerReputation> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add(standing(id)));
    out.sort(
        Comparator.comparingDouble(PeerReputation::score).thenComparing(PeerReputation::peerId));
    return out;
  }

  /**
   * The score histogram of the given peers (for example the connected ones); untracked count as 0.
   */
  public List<ScoreHistogram.Bucket> histogram(Collection<String> peerIds) {
    List<Double> values = new ArrayList<>(peerIds.size());
    peerIds.forEach(id -> values.add(score(id)));
    return ScoreHistogram.count(values);
  }

  /** How many peers have a score entry (neutral ones not yet forgotten included). */
  public int tracked() {
    return scores.size();
  }
}
