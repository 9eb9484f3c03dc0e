package network.canopy.p2p.gossip;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.ToLongFunction;

/**
 * The gossip routing core, free of sockets and threads (docs/GOSSIP.md): floods the topics in flood
 * mode and runs Plumtree-style lazy push on the others — the payload goes eagerly along a tree that
 * duplicates prune, the other peers get the id in an IHAVE, and a node that hears of a message it
 * lacks GRAFTs an announcer after a timeout, which also repairs the tree. The node and the gossip
 * simulator drive this same class through {@link GossipLinks} and {@link GossipClock}. Thread-safe
 * (one lock; links must not block).
 *
 * <p>Use: {@link #accept} decides whether a received message is new; the caller validates it and
 * then makes the one call {@link #forward} (or {@link #forget} if it dropped the message unjudged).
 * A message that is never forwarded is never announced.
 */
public final class LazyPushRouter<P, M> {

  /** What the core knows of one connected peer. */
  private static final class PeerState {
    final boolean capable;

    /** Lazy-mode topics on which this link is lazy (announcements only); eager otherwise. */
    final BitSet lazyOn = new BitSet();

    final Map<Integer, List<GossipId>> pending = new HashMap<>();
    final RateWindow announced = new RateWindow();
    final RateWindow requested = new RateWindow();
    Runnable flush;

    PeerState(boolean capable) {
      this.capable = capable;
    }
  }

  /** A message announced to this node that it has not received yet. */
  private final class Missing {
    final int topicId;
    final GossipId id;
    final long announcedAt;

    /** Announcers not grafted yet, first announcement first. */
    final ArrayDeque<P> announcers = new ArrayDeque<>();

    /** Announcers already grafted for it, in the order they were asked (asked again in turn). */
    final ArrayDeque<P> asked = new ArrayDeque<>();

    P grafted;

    /** Whether {@code grafted} is asked for the first time (only then is a silence charged). */
    boolean firstAsk;

    int grafts;
    Runnable timer;

    Missing(int topicId, GossipId id, long now) {
      this.topicId = topicId;
      this.id = id;
      this.announcedAt = now;
    }
  }

  private final LazyParams params;
  private final GossipLinks<P, M> links;
  private final GossipClock clock;
  private final IntPredicate lazyTopic;
  private final SeenCache seen;
  private final PayloadStore<M> store;
  private final Map<P, PeerState> peers = new LinkedHashMap<>();
  private final Map<SeenCache.Key, Missing> missing = new HashMap<>();

  private final GraftTimer graftTimer;

  /**
   * @param lazyTopic which topic ids run lazy push (the others flood)
   */
  public LazyPushRouter(
      LazyParams params,
      GossipLinks<P, M> links,
      GossipClock clock,
      ToLongFunction<M> sizeOf,
      IntPredicate lazyTopic) {
    this.params = params;
    this.links = links;
    this.clock = clock;
    this.lazyTopic = lazyTopic;
    this.seen = new SeenCache(params.seenEntries(), params.seenMillis(), clock::nowMillis);
    this.store = new PayloadStore<>(params.storeBytes(), params.storeMillis(), sizeOf);
    this.graftTimer = new GraftTimer(params);
  }

  /** A connection is up; {@code lazyCapable}: both ends speak {@code lazy/1}. It starts eager. */
  public synchronized void peerUp(P peer, boolean lazyCapable) {
    peers.putIfAbsent(peer, new PeerState(lazyCapable));
  }

  /**
   * A connection is gone. A message grafted from that peer will not come over it: the next
   * announcer is asked at once rather than after the timeout.
   */
  public synchronized void peerDown(P peer) {
    PeerState s = peers.remove(peer);
    if (s == null) {
      return;
    }
    if (s.flush != null) {
      s.flush.run();
    }
    for (Map.Entry<SeenCache.Key, Missing> e : List.copyOf(missing.entrySet())) {
      Missing m = e.getValue();
      if (peer.equals(m.grafted)) {
        m.timer.run();
        m.grafted = null;
        graftNext(e.getKey(), m);
      }
    }
  }

  /**
   * A message from {@code from} (null: originated here): true if it is new. A duplicate on a lazy
   * topic prunes the link it came over, since the tree already brings it by another way.
   */
  public synchronized boolean accept(P from, int topicId, GossipId id) {
    SeenCache.Key key = id.key();
    PeerState s = from == null ? null : peers.get(from);
    if (!seen.firstSighting(key)) {
      if (s != null && s.capable && lazyTopic.test(topicId) && !s.lazyOn.get(topicId)) {
        s.lazyOn.set(topicId);
        links.control(from, new LazyControl(LazyControl.Kind.PRUNE, topicId, List.of()));
      }
      return false;
    }
    Missing m = missing.remove(key);
    if (m != null) {
      m.timer.run();
      if (from != null && !from.equals(m.grafted) && !m.asked.contains(from)) {
        // Only the tree's copy measures the tree's lag (Karn's rule, RFC 6298): a copy that came
        // because it was asked for includes the wait, and learning it made the wait grow on itself.
        graftTimer.sample(m.topicId, clock.nowMillis() - m.announcedAt);
      }
    }
    if (s != null && s.lazyOn.get(topicId)) {
      s.lazyOn.clear(topicId); // it pushed to us: the link is on its tree (as after a GRAFT)
    }
    return true;
  }

  /** Forgets a new message dropped before it was judged, so a later copy or announcement counts. */
  public synchronized void forget(GossipId id) {
    seen.forget(id.key());
  }

  /**
   * Sends an accepted message on: the whole payload to every eager peer (every peer on a flood
   * topic, and peers without lazy/1), the id to the lazy ones, never back to {@code from}.
   */
  public synchronized void forward(P from, int topicId, GossipId id, M payload) {
    boolean lazy = lazyTopic.test(topicId);
    if (lazy) {
      store.put(id.key(), payload, clock.nowMillis());
    }
    for (Map.Entry<P, PeerState> e : peers.entrySet()) {
      P peer = e.getKey();
      PeerState s = e.getValue();
      if (peer.equals(from)) {
        continue;
      }
      if (lazy && s.capable && s.lazyOn.get(topicId)) {
        announce(peer, s, topicId, id);
      } else {
        links.push(peer, topicId, payload);
      }
    }
  }

  /** A lazy-push control message from {@code from} (the caller checked both ends speak lazy/1). */
  public synchronized void onControl(P from, LazyControl message) {
    PeerState s = peers.get(from);
    if (s == null) {
      return;
    }
    int topicId = message.topicId();
    switch (message.kind()) {
      case IHAVE ->
          announced(
              from,
              s,
              topicId,
              admitted(
                  from,
                  s.announced,
                  params.maxAnnouncedPerInterval(),
                  GossipAbuse.ANNOUNCE_FLOOD,
                  message.ids()));
      case GRAFT -> {
        s.lazyOn.clear(topicId);
        for (GossipId id :
            admitted(
                from,
                s.requested,
                params.maxRequestedPerInterval(),
                GossipAbuse.REQUEST_FLOOD,
                message.ids())) {
          M payload = store.get(id.key(), clock.nowMillis());
          if (payload != null) {
            links.push(from, topicId, payload);
          }
        }
      }
      case PRUNE -> s.lazyOn.set(topicId);
    }
  }

  /**
   * The peers this node pushes {@code topicId}'s payloads to (the tree's links here, for tests).
   */
  public synchronized List<P> eagerPeers(int topicId) {
    List<P> out = new ArrayList<>();
    peers.forEach(
        (p, s) -> {
          if (!s.capable || !s.lazyOn.get(topicId)) {
            out.add(p);
          }
        });
    return out;
  }

  /** Messages announced to this node that it still waits for. */
  public synchronized int missingCount() {
    return missing.size();
  }

  private List<GossipId> admitted(
      P from, RateWindow window, int max, GossipAbuse abuse, List<GossipId> ids) {
    int fits = window.admit(ids.size(), max, clock.nowMillis(), params.intervalMs());
    if (fits < ids.size() && window.reportExcess()) {
      links.misbehaved(
          from,
          abuse,
          ids.size() - fits + " id(s) over " + max + " per " + params.intervalMs() + " ms");
    }
    return ids.subList(0, fits);
  }

  private void announce(P peer, PeerState s, int topicId, GossipId id) {
    List<GossipId> ids = s.pending.computeIfAbsent(topicId, t -> new ArrayList<>());
    ids.add(id);
    if (ids.size() == LazyControl.MAX_IDS) {
      s.pending.remove(topicId);
      links.control(peer, new LazyControl(LazyControl.Kind.IHAVE, topicId, ids));
    } else if (s.flush == null) {
      s.flush = clock.schedule(params.announceDelayMs(), () -> flush(peer, s));
    }
  }

  private synchronized void flush(P peer, PeerState s) {
    s.flush = null;
    if (peers.get(peer) != s) {
      return;
    }
    s.pending.forEach(
        (topicId, ids) ->
            links.control(peer, new LazyControl(LazyControl.Kind.IHAVE, topicId, ids)));
    s.pending.clear();
  }

  private void announced(P from, PeerState s, int topicId, List<GossipId> ids) {
    for (GossipId id : ids) {
      SeenCache.Key key = id.key();
      if (seen.contains(key)) {
        continue;
      }
      Missing m = missing.get(key);
      if (m == null) {
        if (missing.size() >= params.maxMissing()) {
          continue;
        }
        m = new Missing(topicId, id, clock.nowMillis());
        missing.put(key, m);
        Missing waiting = m;
        m.timer = clock.schedule(graftTimer.timeout(topicId), () -> timedOut(key, waiting));
      }
      if (!m.announcers.contains(from) && !from.equals(m.grafted) && !m.asked.contains(from)) {
        m.announcers.add(from);
      }
    }
  }

  /**
   * The tree did not bring an announced message in time: GRAFT the next announcer still connected.
   */
  private synchronized void timedOut(SeenCache.Key key, Missing m) {
    if (missing.get(key) != m) {
      return;
    }
    if (m.grafted != null && m.firstAsk && peers.containsKey(m.grafted)) {
      links.misbehaved(
          m.grafted,
          GossipAbuse.BROKEN_PROMISE,
          "announced " + m.id.hex().substring(0, 16) + " and did not send it when asked");
    }
    if (m.grafted != null) {
      m.asked.add(m.grafted);
      m.grafted = null;
    }
    graftNext(key, m);
  }

  /**
   * GRAFTs the next connected announcer: one not asked yet, else (a large payload may take longer
   * than one wait, a link may have dropped it) the one asked longest ago; {@code maxGrafts} in all.
   * Each wait doubles the last (up to 8 timeouts), as TCP backs off its retransmissions, so a slow
   * copy already on its way is not pulled again and again. Gives up only when no announcer is
   * connected or the grafts are spent.
   */
  private void graftNext(SeenCache.Key key, Missing m) {
    P next = m.grafts < params.maxGrafts() ? firstConnected(m.announcers) : null;
    m.firstAsk = next != null;
    if (next == null && m.grafts < params.maxGrafts()) {
      next = firstConnected(m.asked);
    }
    if (next == null) {
      missing.remove(key);
      return;
    }
    m.grafted = next;
    m.grafts++;
    peers.get(next).lazyOn.clear(m.topicId);
    links.control(next, new LazyControl(LazyControl.Kind.GRAFT, m.topicId, List.of(m.id)));
    long wait = graftTimer.timeout(m.topicId) << Math.min(m.grafts - 1, 3);
    if (m.announcers.isEmpty()) {
      // The next ask would be a repeat: a copy still on its way would then come twice.
      wait = Math.max(wait, params.maxGraftTimeoutMs());
    }
    m.timer = clock.schedule(wait, () -> timedOut(key, m));
  }

  /** Takes the first connected peer off {@code queue} (dropping departed ones), or null. */
  private P firstConnected(ArrayDeque<P> queue) {
    P next = queue.poll();
    while (next != null && !peers.containsKey(next)) {
      next = queue.poll();
    }
    return next;
  }
}
