package network.canopy.p2p.conn;

import java.util.List;
import network.canopy.p2p.wire.PacketFormat;

/**
 * The receive side of capability {@code window/1} (docs/PROTOCOL.md §11.4): per application topic,
 * the window the peer may use and the credit it has left. Credit is granted back only while the
 * topic's consumer keeps up, so a stalled topic stops at the sender while the connection's other
 * topics keep flowing. A window starts small and doubles, up to the topic's inbox bound, only while
 * the peer uses it faster than the link's round trip (its floor, without queueing) can renew it and
 * the topic is not being held, and halves again once it is far larger than that: what stands in the
 * socket buffers ahead of another topic's message is at most a window, and a receiver whose own
 * loop or application is the bottleneck gains nothing from a larger one. Context-confined.
 */
final class ReceiveWindows {
  /** Every topic's window when a connection starts, before any WINDOW_UPDATE. */
  static final long INITIAL = 65_536;

  /** Window a START packet costs on top of its data, so even empty messages use window. */
  static final long START_COST = 64;

  /** The window this implementation grants at first, and the floor of halving. */
  static final long START_WINDOW = 256 * 1024;

  /** The least a held topic's window falls back to: two 16 KiB messages. */
  static final long HELD_FLOOR = 32 * 1024;

  /**
   * A held topic keeps a window of this many round trips at the pace its application took the topic
   * since the previous hold, so where the link is long the application is not starved.
   */
  static final long HELD_ROUND_TRIPS = 4;

  /** A window grows only after its topic has gone this long without being held. */
  static final long GROWTH_QUIET_NANOS = 1_000_000_000L;

  /**
   * A window halves at a renewal when its last half took longer than this many round trips: it is
   * then at least 16 times what keeps the peer busy, and the rest only queues in the buffers.
   */
  static final long SHRINK_ROUND_TRIPS = 8;

  /**
   * Per topic id, its slot + 1 in the arrays below (0: no window). Compact because every idle
   * connection keeps one: arrays of all 256 ids cost 6.4 KiB a connection, these a few hundred
   * bytes.
   */
  private final byte[] slotOf = new byte[PacketFormat.TOPIC_COUNT];

  private final int[] topicOf;
  private final long[] max;
  private final long[] size;

  /** What the peer may still send; below zero while it overruns. */
  private final long[] credit;

  /** When the window was last renewed (start of the current growth epoch). */
  private final long[] renewedNanos;

  /** When the topic's consumer last saturated, or 0. */
  private final long[] heldNanos;

  /**
   * Bytes received on the topic when it was last held (or 0), to measure its application's pace.
   */
  private final long[] heldBytes;

  private final long startNanos = System.nanoTime();

  private final boolean[] overrun;

  /**
   * Each topic's window starts at {@link #START_WINDOW} and may grow to its inbox bound (at least
   * {@link #INITIAL} either way); peer exchange has none.
   */
  ReceiveWindows(List<TopicSpec> topics) {
    List<TopicSpec> windowed =
        topics.stream().filter(t -> t.id() != PacketFormat.PEER_EXCHANGE_TOPIC).toList();
    int n = windowed.size();
    topicOf = new int[n];
    max = new long[n];
    size = new long[n];
    credit = new long[n];
    renewedNanos = new long[n];
    heldNanos = new long[n];
    heldBytes = new long[n];
    overrun = new boolean[n];
    for (int slot = 0; slot < n; slot++) {
      TopicSpec spec = windowed.get(slot);
      slotOf[spec.id()] = (byte) (slot + 1);
      topicOf[slot] = spec.id();
      max[slot] = Math.max(INITIAL, spec.inboxBytes());
      size[slot] = Math.min(max[slot], START_WINDOW);
      credit[slot] = INITIAL;
      renewedNanos[slot] = startNanos;
    }
  }

  /** The window beyond {@link #INITIAL}, granted as the connection starts. */
  void grantInitial(ControlOutbox out) {
    for (int slot = 0; slot < size.length; slot++) {
      if (size[slot] > credit[slot]) {
        give(slot, out);
      }
    }
  }

  /** Charges one packet; returns true when it starts an overrun (the peer ignored its window). */
  boolean charge(int topic, boolean start, int dataLength) {
    int slot = slot(topic);
    if (slot < 0) {
      return false;
    }
    credit[slot] -= dataLength + (start ? START_COST : 0);
    if (credit[slot] < 0 && !overrun[slot]) {
      overrun[slot] = true;
      return true;
    }
    return false;
  }

  /** True while the peer has sent past the window it was granted on {@code topic}. */
  boolean overrun(int topic) {
    int slot = slot(topic);
    return slot >= 0 && overrun[slot];
  }

  /**
   * The topic's consumer saturated (what was granted stays granted): its application, not the link,
   * sets the pace, and each time it catches up the peer sends up to a window in a burst ahead of
   * the connection's other topics (at 256 KiB that burst added ~1.4 ms to another topic's p99 in
   * the flow soak on loopback). So the window falls to {@link #HELD_ROUND_TRIPS} round trips of
   * that pace — {@code receivedBytes} on the topic since its previous hold (or the connection's
   * start) over the time between — but not below {@link #HELD_FLOOR}, never grows here, and does
   * not grow for {@link #GROWTH_QUIET_NANOS}.
   *
   * @param receivedBytes every byte of messages received on the topic so far
   * @param rttNanos the link's round-trip floor, or -1 while none is known (then the floor)
   */
  void held(int topic, long nowNanos, long receivedBytes, long rttNanos) {
    int slot = slot(topic);
    if (slot < 0) {
      return;
    }
    long since = heldNanos[slot] == 0 ? startNanos : heldNanos[slot];
    long paced = HELD_FLOOR;
    if (rttNanos > 0 && nowNanos > since) {
      double bytesPerNano = (double) (receivedBytes - heldBytes[slot]) / (nowNanos - since);
      paced = Math.max(HELD_FLOOR, (long) (HELD_ROUND_TRIPS * bytesPerNano * rttNanos));
    }
    size[slot] = Math.min(size[slot], Math.min(max[slot], paced));
    heldNanos[slot] = nowNanos == 0 ? 1 : nowNanos;
    heldBytes[slot] = receivedBytes;
  }

  /**
   * Tops the peer's credit on {@code topic} back up to the window once half of it is used; call
   * only while its consumer keeps up (nothing waiting in its inbox). The window first doubles when
   * its last half went by within two round trips of the link ({@code rttNanos}: the floor of the
   * measured ones, -1 while none is known, and then it does not change), or halves (not below
   * {@link #START_WINDOW}) when it took more than {@link #SHRINK_ROUND_TRIPS}. Returns true when an
   * update was queued.
   */
  boolean grant(int topic, ControlOutbox out, long nowNanos, long rttNanos) {
    int slot = slot(topic);
    if (slot < 0 || credit[slot] > size[slot] / 2) {
      return false;
    }
    long halfTook = nowNanos - renewedNanos[slot];
    boolean quiet = heldNanos[slot] == 0 || nowNanos - heldNanos[slot] > GROWTH_QUIET_NANOS;
    long floor = Math.min(max[slot], START_WINDOW);
    boolean known = rttNanos > 0;
    if (known && quiet && halfTook < 2 * rttNanos && size[slot] < max[slot]) {
      size[slot] = Math.min(max[slot], 2 * size[slot]);
    } else if (known && halfTook > SHRINK_ROUND_TRIPS * rttNanos && size[slot] > floor) {
      size[slot] = Math.max(floor, size[slot] / 2);
    }
    renewedNanos[slot] = nowNanos;
    if (credit[slot] >= size[slot]) {
      return false; // halved to exactly what is left: nothing to add
    }
    give(slot, out);
    return true;
  }

  /** The current window of {@code topic} (for tests and stats), or 0 when it has none. */
  long size(int topic) {
    int slot = slot(topic);
    return slot < 0 ? 0 : size[slot];
  }

  private int slot(int topic) {
    return (slotOf[topic] & 0xff) - 1;
  }

  private void give(int slot, ControlOutbox out) {
    out.window(topicOf[slot], size[slot] - credit[slot]);
    credit[slot] = size[slot];
    overrun[slot] = false;
  }
}
