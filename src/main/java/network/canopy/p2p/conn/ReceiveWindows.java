package network.canopy.p2p.conn;

import java.util.List;
import network.canopy.p2p.wire.PacketFormat;

/**
 * The receive side of capability {@code window/1} (docs/PROTOCOL.md §11.4): per application topic,
 * the credit the peer may still use and what it used that has not been granted back. Credit is
 * granted back only while the topic's consumer keeps up, so a stalled topic stops at the sender
 * while the connection's other topics keep flowing. Context-confined.
 */
final class ReceiveWindows {
  /** Every topic's window when a connection starts, before any WINDOW_UPDATE. */
  static final long INITIAL = 65_536;

  /** Window a START packet costs on top of its data, so even empty messages use window. */
  static final long START_COST = 64;

  /**
   * Per topic id, its slot + 1 in the arrays below (0: no window). Compact because every idle
   * connection keeps one: four arrays of all 256 ids cost 6.4 KiB a connection, these a few hundred
   * bytes.
   */
  private final byte[] slotOf = new byte[PacketFormat.TOPIC_COUNT];

  private final int[] topicOf;
  private final long[] size;
  private final long[] credit;
  private final long[] ungranted;
  private final boolean[] overrun;

  /** Each topic's window is its inbox bound (at least {@link #INITIAL}); peer exchange has none. */
  ReceiveWindows(List<TopicSpec> topics) {
    List<TopicSpec> windowed =
        topics.stream().filter(t -> t.id() != PacketFormat.PEER_EXCHANGE_TOPIC).toList();
    int n = windowed.size();
    topicOf = new int[n];
    size = new long[n];
    credit = new long[n];
    ungranted = new long[n];
    overrun = new boolean[n];
    for (int slot = 0; slot < n; slot++) {
      TopicSpec spec = windowed.get(slot);
      slotOf[spec.id()] = (byte) (slot + 1);
      topicOf[slot] = spec.id();
      size[slot] = Math.max(INITIAL, spec.inboxBytes());
      credit[slot] = INITIAL;
      ungranted[slot] = size[slot] - INITIAL;
    }
  }

  /** The window beyond {@link #INITIAL}, granted as the connection starts. */
  void grantInitial(ControlOutbox out) {
    for (int slot = 0; slot < size.length; slot++) {
      if (ungranted[slot] > 0) {
        give(slot, out);
      }
    }
  }

  /** Charges one packet; returns true when it starts an overrun (the peer ignored its window). */
  boolean charge(int topic, boolean start, int dataLength) {
    int slot = (slotOf[topic] & 0xff) - 1;
    if (slot < 0) {
      return false;
    }
    long cost = dataLength + (start ? START_COST : 0);
    credit[slot] -= cost;
    ungranted[slot] += cost;
    if (credit[slot] < 0 && !overrun[slot]) {
      overrun[slot] = true;
      return true;
    }
    return false;
  }

  /** True while the peer has sent past the window it was granted on {@code topic}. */
  boolean overrun(int topic) {
    int slot = (slotOf[topic] & 0xff) - 1;
    return slot >= 0 && overrun[slot];
  }

  /**
   * Grants back what the peer used on {@code topic} once that is half the window; call only while
   * its consumer keeps up (nothing waiting in its inbox). Returns true when an update was queued.
   */
  boolean grant(int topic, ControlOutbox out) {
    int slot = (slotOf[topic] & 0xff) - 1;
    if (slot < 0 || ungranted[slot] < size[slot] / 2) {
      return false;
    }
    give(slot, out);
    return true;
  }

  private void give(int slot, ControlOutbox out) {
    out.window(topicOf[slot], ungranted[slot]);
    credit[slot] += ungranted[slot];
    ungranted[slot] = 0;
    if (credit[slot] >= 0) {
      overrun[slot] = false;
    }
  }
}
