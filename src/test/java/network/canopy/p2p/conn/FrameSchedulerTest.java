package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketDecoder;
import network.canopy.p2p.wire.PacketException;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.WireLimits;
import org.junit.jupiter.api.Test;

/** Frames built by the scheduler, decoded with the receiver's own decoder. */
class FrameSchedulerTest {

  private final FrameScheduler scheduler = new FrameScheduler();
  private final AtomicLong connQueued = new AtomicLong();
  private final byte[] frame = new byte[WireLimits.MAX_FRAME_PLAINTEXT];

  /** Per frame, the (topic, length) of each message that completed in it. */
  private final List<int[]> completed = new ArrayList<>();

  private final long[] bytesPerTopic = new long[256];
  private final List<byte[]> controlSeen = new ArrayList<>();
  private final PacketDecoder decoder =
      new PacketDecoder(
          allTopics(),
          (topic, message) -> {
            completed.add(new int[] {topic, message.length});
            if (topic == 0) {
              controlSeen.add(message);
            }
          });

  private static long[] allTopics() {
    long[] limits = new long[256];
    Arrays.fill(limits, PacketFormat.MAX_MESSAGE_LENGTH);
    return limits;
  }

  private OutboundTopic topic(int id, int priority) {
    TopicSpec spec = new TopicSpec(id, "t" + id, priority, 64L << 20, 256L << 20, 1 << 20);
    return new OutboundTopic(
        spec, spec.maxMessageSize(), FrameScheduler.QUANTUM_PER_PRIORITY, connQueued, 1L << 40);
  }

  /** What MultiConn.send does once it has decided to queue. */
  private void offer(OutboundTopic t, Buffer payload) {
    assertThat(t.reserve(payload.length() + OutboundTopic.MESSAGE_OVERHEAD)).isTrue();
    t.queue.add(new OutboundTopic.Queued(payload, false));
    if (t.signalled.compareAndSet(false, true)) {
      scheduler.activate(t);
    }
  }

  /** Fills and decodes one frame; returns the bytes each topic got in it. */
  private long[] nextFrame() throws PacketException {
    long[] before = bytesPerTopic.clone();
    int length = scheduler.fill(frame, System.nanoTime());
    assertThat(length).isBetween(1, WireLimits.MAX_FRAME_PLAINTEXT);
    // Count data bytes per topic by walking the packets (the decoder checks the layout).
    for (int pos = 0; pos < length; ) {
      int topic = frame[pos] & 0xff;
      boolean start = (frame[pos + 1] & PacketFormat.FLAG_START) != 0;
      int header = PacketFormat.headerLength(start);
      int data = ((frame[pos + header - 2] & 0xff) << 8) | (frame[pos + header - 1] & 0xff);
      bytesPerTopic[topic] += data;
      pos += header + data;
    }
    decoder.decodeFrame(frame, 0, length);
    long[] delta = new long[256];
    for (int i = 0; i < 256; i++) {
      delta[i] = bytesPerTopic[i] - before[i];
    }
    return delta;
  }

  @Test
  void controlComesFirstAndSmallMessagesOfSeveralTopicsShareOneFrame() throws Exception {
    OutboundTopic a = topic(1, 1);
    OutboundTopic b = topic(2, 16);
    offer(a, Buffer.buffer("a1"));
    offer(b, Buffer.buffer("b1"));
    offer(a, Buffer.buffer(""));
    scheduler.control.pong(7);
    scheduler.control.ping(8);
    assertThat(scheduler.hasWork()).isTrue();
    nextFrame();
    assertThat(completed).extracting(c -> c[0]).containsExactly(0, 0, 1, 1, 2);
    assertThat(controlSeen.get(0)[0]).isEqualTo((byte) ControlMessage.TYPE_PONG);
    assertThat(controlSeen.get(1)[0]).isEqualTo((byte) ControlMessage.TYPE_PING);
    assertThat(scheduler.hasWork()).as("emptied topics leave the ring").isFalse();
    assertThat(connQueued.get()).isZero();
  }

  @Test
  void largeMessageIsCutIntoFullFramesAndNothingOfItIsKept() throws Exception {
    OutboundTopic t = topic(1, 4);
    int size = 3 * WireLimits.MAX_FRAME_PLAINTEXT;
    offer(t, Buffer.buffer(new byte[size]));
    int frames = 0;
    while (scheduler.hasWork() && completed.isEmpty()) {
      nextFrame();
      frames++;
    }
    assertThat(frames).isEqualTo(4); // 3 frames' worth plus the 4 + 8 header bytes of each packet
    assertThat(completed.get(0)).containsExactly(1, size);
    assertThat(t.current).as("no reference to sent data").isNull();
    assertThat(t.queuedBytes.get()).isZero();
    assertThat(connQueued.get()).isZero();
    assertThat(t.messagesOut).isEqualTo(1);
    assertThat(t.bytesOut).isEqualTo(size);
  }

  @Test
  void backloggedTopicsShareFramesInProportionToPriority() throws Exception {
    OutboundTopic low = topic(1, 1);
    OutboundTopic high = topic(2, 4);
    Buffer mib = Buffer.buffer(new byte[1 << 20]);
    for (int i = 0; i < 8; i++) {
      offer(low, mib);
      offer(high, mib);
    }
    long lowBytes = 0;
    long highBytes = 0;
    for (int i = 0; i < 100; i++) {
      long[] got = nextFrame();
      lowBytes += got[1];
      highBytes += got[2];
    }
    assertThat((double) highBytes / lowBytes).isBetween(3.6, 4.4);
  }

  @Test
  void newMessageOnAnotherTopicWaitsAtMostAboutOneFrameBehindABulkTransfer() throws Exception {
    for (int bulkPriority : new int[] {1, 16}) {
      for (int urgentPriority : new int[] {1, 16}) {
        FrameSchedulerTest fresh = new FrameSchedulerTest();
        OutboundTopic bulk = fresh.topic(1, bulkPriority);
        OutboundTopic urgent = fresh.topic(2, urgentPriority);
        fresh.offer(bulk, Buffer.buffer(new byte[10 << 20]));
        for (int i = 0; i < 5; i++) {
          fresh.nextFrame();
        }
        fresh.offer(urgent, Buffer.buffer(new byte[100]));
        int waited = 0;
        while (fresh.nextFrame()[2] == 0) {
          waited++;
        }
        assertThat(waited)
            .as("bulk priority %d, urgent priority %d", bulkPriority, urgentPriority)
            .isLessThanOrEqualTo(1);
      }
    }
  }

  @Test
  void discardReturnsTheBytesOfEverythingUnsent() throws Exception {
    OutboundTopic t = topic(1, 4);
    offer(t, Buffer.buffer(new byte[200_000]));
    offer(t, Buffer.buffer(new byte[10]));
    nextFrame();
    scheduler.discard(List.of(t));
    assertThat(t.queuedBytes.get()).isZero();
    assertThat(connQueued.get()).isZero();
    assertThat(t.dropped.sum()).isEqualTo(2);
    assertThat(scheduler.hasWork()).isFalse();
  }
}
