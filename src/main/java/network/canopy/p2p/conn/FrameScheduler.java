package network.canopy.p2p.conn;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import network.canopy.p2p.wire.PacketFormat;

/**
 * Fills frame plaintexts with packets: control first, then topics by deficit round robin, where a
 * topic's turn earns {@code priority × quantum} bytes of credit and lasts while its credit is
 * positive (the last packet of a turn may overdraw it; the debt is repaid in later turns). Large
 * messages are cut into packets, so topics interleave. Context-confined except {@link #activate}.
 */
final class FrameScheduler {
  /** Credit per priority unit: a priority-16 topic earns 64 KiB, about one frame, per turn. */
  static final int QUANTUM_PER_PRIORITY = 4096;

  private final ArrayDeque<OutboundTopic> ring = new ArrayDeque<>();
  private final ConcurrentLinkedQueue<OutboundTopic> activations = new ConcurrentLinkedQueue<>();
  final ControlOutbox control = new ControlOutbox();

  /** Any thread: tells the scheduler that {@code topic} has a new message (once per signal). */
  void activate(OutboundTopic topic) {
    activations.add(topic);
  }

  boolean hasWork() {
    drainActivations();
    return !control.isEmpty() || !ring.isEmpty();
  }

  /** Builds one frame's plaintext in {@code frame} (reused by the caller); returns its length. */
  int fill(byte[] frame, long nowNanos) {
    drainActivations();
    int pos = control.write(frame, 0, nowNanos);
    while (!ring.isEmpty()) {
      OutboundTopic t = ring.peekFirst();
      if (!t.advance() || t.windowClosed()) {
        // Idle, or waiting for the peer's WINDOW_UPDATE, which activates it again.
        ring.pollFirst();
        t.inRing = false;
        t.deficit = 0; // an idle topic keeps no credit (DRR)
        continue;
      }
      if (t.deficit <= 0) {
        t.deficit += t.quantum; // a new turn
        if (t.deficit <= 0) {
          ring.addLast(ring.pollFirst()); // still repaying an overdraft
          continue;
        }
      }
      int next = writePacket(frame, pos, t);
      if (next == pos) {
        break; // frame full; this topic resumes its turn in the next frame
      }
      pos = next;
      if (t.deficit <= 0) {
        ring.addLast(ring.pollFirst());
      }
    }
    return pos;
  }

  /** Drops everything queued (the connection closed). */
  void discard(Collection<OutboundTopic> topics) {
    activations.clear();
    ring.clear();
    for (OutboundTopic t : topics) {
      t.inRing = false;
      t.discard();
    }
  }

  private void drainActivations() {
    OutboundTopic t;
    while ((t = activations.poll()) != null) {
      // Clear first, then look: a message added after this point signals again.
      t.signalled.set(false);
      if (!t.inRing
          && (t.current != null || !t.queue.isEmpty())
          && !(t.current != null && t.windowClosed())) {
        t.inRing = true;
        ring.addLast(t);
      }
    }
  }

  /** Writes the next packet of {@code t}'s current message; returns pos unchanged if none fits. */
  private static int writePacket(byte[] frame, int pos, OutboundTopic t) {
    Buffer message = t.current;
    int remaining = message.length() - t.offset;
    boolean start = !t.started;
    int header = PacketFormat.headerLength(start);
    int room = frame.length - pos - header;
    if (room < 0 || (room == 0 && remaining > 0)) {
      return pos;
    }
    long windowLeft = t.window - (start ? ReceiveWindows.START_COST : 0);
    int data = (int) Math.min(Math.min(remaining, room), windowLeft);
    boolean end = data == remaining;
    int flags =
        (start ? PacketFormat.FLAG_START : 0)
            | (end ? PacketFormat.FLAG_END : 0)
            | (start && t.currentDirect ? PacketFormat.FLAG_DIRECT : 0);
    pos = PacketFormat.writeHeader(frame, pos, t.spec.id(), flags, message.length(), data);
    message.getBytes(t.offset, t.offset + data, frame, pos);
    t.offset += data;
    t.started = true;
    t.deficit -= header + data;
    if (t.window != Long.MAX_VALUE) {
      t.window -= data + (start ? ReceiveWindows.START_COST : 0);
    }
    t.bytesOut += data;
    if (end) {
      t.current = null; // no reference to sent data is kept
      t.messagesOut++;
      t.release(data + OutboundTopic.MESSAGE_OVERHEAD);
    } else {
      t.release(data);
    }
    return pos + data;
  }
}
