package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketDecoder;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.WireLimits;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * How this node sizes the receive windows it grants (window/1, docs/PROTOCOL.md §11.4): small at
 * first, doubled only while the peer uses a window faster than a round trip renews it, never past
 * the inbox bound, and back to a few round trips of its application's pace (at least 32 KiB) once
 * the topic's consumer saturates — so a held topic's release is a small burst, not a whole inbox
 * bound arriving ahead of other topics' messages.
 */
class ReceiveWindowsTest {

  private static final int TOPIC = 4;
  private static final long MIB = 1 << 20;
  private static final long MS = 1_000_000;
  private static final long RTT = 10 * MS;

  private final ControlOutbox out = new ControlOutbox();

  private static ReceiveWindows windows(long inboxBytes) {
    return new ReceiveWindows(List.of(new TopicSpec(TOPIC, "tx", 1, MIB, 4 * MIB, inboxBytes)));
  }

  @Test
  void theFirstGrantTopsTheInitialWindowUpToTheStartWindowOrTheInboxBound() throws Exception {
    ReceiveWindows large = windows(16 * MIB);
    large.grantInitial(out);
    assertThat(granted()).isEqualTo(ReceiveWindows.START_WINDOW - ReceiveWindows.INITIAL);

    ReceiveWindows small = windows(ReceiveWindows.INITIAL);
    small.grantInitial(out);
    assertThat(granted()).as("nothing beyond the initial window").isZero();
  }

  @Test
  void aWindowUsedWithinTwoRoundTripsDoublesUpToTheInboxBound() throws Exception {
    ReceiveWindows w = windows(MIB);
    w.grantInitial(out);
    granted();
    long now = System.nanoTime();
    long expected = ReceiveWindows.START_WINDOW;
    for (int round = 0; round < 4; round++) {
      long before = w.size(TOPIC);
      use(w, before / 2);
      now += RTT / 2;
      assertThat(w.grant(TOPIC, out, now, RTT)).isTrue();
      expected = Math.min(MIB, expected * 2);
      assertThat(w.size(TOPIC)).isEqualTo(expected);
      assertThat(granted())
          .as("tops the credit up to the new window")
          .isEqualTo(expected - before / 2);
    }
    assertThat(w.size(TOPIC)).isEqualTo(MIB);
    assertThat(w.overrun(TOPIC)).isFalse();
  }

  @Test
  void aWindowUsedSlowerThanTwoRoundTripsStaysAsItIs() throws Exception {
    ReceiveWindows w = granted16MiB();
    long now = System.nanoTime();
    for (int round = 0; round < 3; round++) {
      now += 3 * RTT;
      renewsHalfTheStartWindow(w, now, RTT);
    }
    assertThat(w.size(TOPIC)).isEqualTo(ReceiveWindows.START_WINDOW);
    use(w, ReceiveWindows.START_WINDOW / 2 - 1);
    assertThat(w.grant(TOPIC, out, now + RTT, RTT)).as("less than half used").isFalse();
  }

  @Test
  void aWindowFarLargerThanTheLinkNeedsHalvesBackToTheStartWindow() throws Exception {
    ReceiveWindows w = windows(16 * MIB);
    w.grantInitial(out);
    long now = System.nanoTime();
    for (int round = 0; round < 4; round++) {
      use(w, w.size(TOPIC) / 2);
      now += RTT;
      w.grant(TOPIC, out, now, RTT);
    }
    assertThat(w.size(TOPIC)).isEqualTo(16 * ReceiveWindows.START_WINDOW);
    granted();
    // The peer now uses it slowly (the consumer, not the link, sets the pace): each renewal that
    // took more than eight round trips halves the window, down to the start window and no further.
    long expected = 16 * ReceiveWindows.START_WINDOW;
    for (int round = 0; round < 6; round++) {
      long before = w.size(TOPIC);
      use(w, before / 2);
      now += (ReceiveWindows.SHRINK_ROUND_TRIPS + 1) * RTT;
      boolean updated = w.grant(TOPIC, out, now, RTT);
      expected = Math.max(ReceiveWindows.START_WINDOW, expected / 2);
      assertThat(w.size(TOPIC)).isEqualTo(expected);
      assertThat(granted())
          .as("what was granted stays granted: credit tops up to the smaller window")
          .isEqualTo(expected - before / 2);
      assertThat(updated).isEqualTo(expected > before / 2);
    }
    assertThat(w.size(TOPIC)).isEqualTo(ReceiveWindows.START_WINDOW);
  }

  @Test
  void withoutAMeasuredRoundTripTheWindowNeitherGrowsNorShrinks() throws Exception {
    ReceiveWindows w = granted16MiB();
    long now = System.nanoTime();
    for (int round = 0; round < 3; round++) {
      now += round == 1 ? 1_000 * MS : 1_000;
      renewsHalfTheStartWindow(w, now, -1);
    }
    assertThat(w.size(TOPIC)).isEqualTo(ReceiveWindows.START_WINDOW);
  }

  @Test
  void aHeldTopicOnAFastLinkFallsBackToItsFloorAndDoesNotGrowForASecond() throws Exception {
    long start = System.nanoTime();
    ReceiveWindows w = granted16MiB();
    long now = grownFast(w, 3, start);
    assertThat(w.size(TOPIC)).isEqualTo(8 * ReceiveWindows.START_WINDOW);
    granted();

    // 1 MiB a second over a 100 us round trip: a few hundred bytes; the floor is two messages.
    now = start + 1_000 * MS;
    w.held(TOPIC, now, MIB, MS / 10);
    long held = ReceiveWindows.HELD_FLOOR;
    assertThat(w.size(TOPIC)).as("a small burst each time it resumes").isEqualTo(held);
    // What was granted stays granted: no update until the peer is down to half the new window.
    use(w, 8 * ReceiveWindows.START_WINDOW - held);
    assertThat(w.grant(TOPIC, out, now + MS, RTT)).isFalse();
    use(w, held / 2);
    assertThat(w.grant(TOPIC, out, now + 2 * MS, RTT)).isTrue();
    assertThat(granted()).isEqualTo(held / 2);
    assertThat(w.size(TOPIC)).as("no growth within a second of the hold").isEqualTo(held);

    use(w, held / 2);
    long later = now + ReceiveWindows.GROWTH_QUIET_NANOS + MS;
    w.grant(TOPIC, out, later - MS, RTT); // the epoch restarts...
    use(w, held / 2);
    assertThat(w.grant(TOPIC, out, later, RTT)).isTrue(); // ...and a fast one grows again
    assertThat(w.size(TOPIC)).isEqualTo(2 * held);
  }

  @Test
  void aHeldTopicOnALongLinkKeepsRoundTripsOfItsApplicationsPaceButNeverGrowsByIt()
      throws Exception {
    long start = System.nanoTime();
    ReceiveWindows w = granted16MiB();
    grownFast(w, 4, start);
    assertThat(w.size(TOPIC)).isEqualTo(4 * MIB);

    // 8 MiB in the first second over a 100 ms round trip: 4 round trips of it are 3.2 MiB.
    w.held(TOPIC, start + 1_000 * MS, 8 * MIB, 100 * MS);
    assertThat(w.size(TOPIC)).isCloseTo(4 * 8 * MIB / 10, Offset.offset(64L * 1024));
    long paced = w.size(TOPIC);
    // A faster pace at the next hold does not grow it: only quiet, fast renewals do.
    w.held(TOPIC, start + 2_000 * MS, 8 * MIB + 64 * MIB, 100 * MS);
    assertThat(w.size(TOPIC)).isEqualTo(paced);
    // Before any round trip is known, the floor.
    ReceiveWindows unknown = granted16MiB();
    unknown.held(TOPIC, System.nanoTime(), 8 * MIB, -1);
    assertThat(unknown.size(TOPIC)).isEqualTo(ReceiveWindows.HELD_FLOOR);
  }

  @Test
  void aPeerPastItsWindowIsAnOverrunUntilTheGrantCoversIt() {
    ReceiveWindows w = windows(16 * MIB);
    assertThat(w.charge(TOPIC, true, (int) ReceiveWindows.INITIAL)).as("64 over").isTrue();
    assertThat(w.charge(TOPIC, false, 100)).as("once per episode").isFalse();
    assertThat(w.overrun(TOPIC)).isTrue();
    assertThat(w.grant(TOPIC, out, System.nanoTime(), RTT)).isTrue();
    assertThat(w.overrun(TOPIC)).isFalse();
  }

  /** The peer sends {@code bytes} of data on the topic (in packets of at most 60000 bytes). */
  private static void use(ReceiveWindows w, long bytes) {
    for (long left = bytes; left > 0; left -= 60_000) {
      w.charge(TOPIC, false, (int) Math.min(left, 60_000));
    }
  }

  /**
   * Renews {@code w} {@code rounds} times 1 ms apart, each after half of it was used (so it
   * doubles); returns the last renewal's time.
   */
  private long grownFast(ReceiveWindows w, int rounds, long start) {
    long now = start;
    for (int round = 0; round < rounds; round++) {
      use(w, w.size(TOPIC) / 2);
      now += MS;
      w.grant(TOPIC, out, now, RTT);
    }
    return now;
  }

  /** Half a start window used, then renewed at {@code now}: exactly that half granted back. */
  private void renewsHalfTheStartWindow(ReceiveWindows w, long now, long rtt) throws Exception {
    use(w, ReceiveWindows.START_WINDOW / 2);
    assertThat(w.grant(TOPIC, out, now, rtt)).isTrue();
    assertThat(granted()).isEqualTo(ReceiveWindows.START_WINDOW / 2);
  }

  /** Windows with a 16 MiB inbox whose initial grants were sent and read. */
  private ReceiveWindows granted16MiB() throws Exception {
    ReceiveWindows w = windows(16 * MIB);
    w.grantInitial(out);
    granted();
    return w;
  }

  /** The window increments for the topic in the control packets queued since the last call. */
  private long granted() throws Exception {
    long[] limits = new long[PacketFormat.TOPIC_COUNT];
    Arrays.fill(limits, -1);
    limits[PacketFormat.CONTROL_TOPIC] = PacketFormat.MAX_CONTROL_MESSAGE;
    long[] sum = {0};
    PacketDecoder decoder =
        new PacketDecoder(
            limits,
            (topic, message) -> {
              try {
                if (ControlMessage.decode(message) instanceof ControlMessage.WindowUpdate u
                    && u.topicId() == TOPIC) {
                  sum[0] += u.increment();
                }
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
    byte[] frame = new byte[WireLimits.MAX_FRAME_PLAINTEXT];
    int length = out.write(frame, 0, System.nanoTime());
    decoder.decodeFrame(frame, 0, length);
    return sum[0];
  }
}
