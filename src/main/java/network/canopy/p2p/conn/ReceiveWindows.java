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

  private final long[] size = new long[PacketFormat.TOPIC_COUNT];
  private final long[] credit = new long[PacketFormat.TOPIC_COUNT];
  private final long[] ungranted = new long[PacketFormat.TOPIC_COUNT];
  private final boolean[] overrun = new boolean[PacketFormat.TOPIC_COUNT];

  /** Each topic's window is its inbox bound (at least {@link #INITIAL}); peer exchange has none. */
  ReceiveWindows(List<TopicSpec> topics) {
    for (TopicSpec spec : topics) {
      if (spec.id() != PacketFormat.PEER_EXCHANGE_TOPIC) {
        size[spec.id()] = Math.max(INITIAL, spec.inboxBytes());
        credit[spec.id()] = INITIAL;
        ungranted[spec.id()] = size[spec.id()] - INITIAL;
      }
    }
  }

  /** The window beyond {@link #INITIAL}, granted as the connection starts. */
  void grantInitial(ControlOutbox out) {
    for (int topic = 0; topic < size.length; topic++) {
      if (ungranted[topic] > 0) {
        give(topic, out);
      }
    }
  }

  /** Charges one packet; returns true when it starts an overrun (the peer ignored its window). */
  boolean charge(int topic, boolean start, int dataLength) {
    if (size[topic] == 0) {
      return false;
    }
    long cost = dataLength + (start ? START_COST : 0);
    credit[topic] -= cost;
    ungranted[topic] += cost;
    if (credit[topic] < 0 && !overrun[topic]) {
      overrun[topic] = true;
      return true;
    }
    return false;
  }

  /** True while the peer has sent past the window it was granted on {@code topic}. */
  boolean overrun(int topic) {
    return overrun[topic];
  }

  /**
   * Grants back what the peer used on {@code topic} once that is half the window; call only while
   * its consumer keeps up (nothing waiting in its inbox). Returns true when an update was queued.
   */
  boolean grant(int topic, ControlOutbox out) {
    if (size[topic] == 0 || ungranted[topic] < size[topic] / 2) {
      return false;
    }
    give(topic, out);
    return true;
  }

  private void give(int topic, ControlOutbox out) {
    out.window(topic, ungranted[topic]);
    credit[topic] += ungranted[topic];
    ungranted[topic] = 0;
    if (credit[topic] >= 0) {
      overrun[topic] = false;
    }
  }
}
