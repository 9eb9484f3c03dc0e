package network.canopy.p2p.gossipsim;

import java.util.PriorityQueue;
import network.canopy.p2p.gossip.GossipClock;

/**
 * The simulator's time: a queue of events on a virtual clock in milliseconds, run in time order
 * (ties in the order they were scheduled), so a run is deterministic for a seed.
 */
final class VirtualClock implements GossipClock {

  private static final class Event implements Comparable<Event> {
    final double at;
    final long seq;
    final Runnable task;
    boolean cancelled;

    Event(double at, long seq, Runnable task) {
      this.at = at;
      this.seq = seq;
      this.task = task;
    }

    @Override
    public int compareTo(Event o) {
      int byTime = Double.compare(at, o.at);
      return byTime != 0 ? byTime : Long.compare(seq, o.seq);
    }
  }

  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private double now;
  private long seq;
  private long processed;

  double now() {
    return now;
  }

  @Override
  public long nowMillis() {
    return (long) now;
  }

  @Override
  public Runnable schedule(long delayMillis, Runnable task) {
    Event e = at(now + Math.max(0, delayMillis), task);
    return () -> e.cancelled = true;
  }

  /** Schedules {@code task} at absolute virtual time {@code time} (ms, fractional). */
  Event at(double time, Runnable task) {
    Event e = new Event(Math.max(time, now), seq++, task);
    queue.add(e);
    return e;
  }

  /** Runs events until none is left or the next is after {@code until}. */
  void runUntil(double until) {
    while (!queue.isEmpty() && queue.peek().at <= until) {
      Event e = queue.poll();
      now = e.at;
      if (!e.cancelled) {
        processed++;
        e.task.run();
      }
    }
    now = Math.max(now, until);
  }

  long processed() {
    return processed;
  }
}
