package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The send-queue bounds: per topic, per connection, and the one-message-per-empty-topic rule. */
class OutboundTopicTest {

  private static final long MIB = 1L << 20;
  private final AtomicLong connQueued = new AtomicLong();

  private OutboundTopic topic(int id, long topicBound) {
    TopicSpec spec = new TopicSpec(id, "t" + id, 1, 64 * MIB, topicBound, MIB);
    return new OutboundTopic(
        spec, spec.maxMessageSize(), FrameScheduler.QUANTUM_PER_PRIORITY, connQueued, 16 * MIB);
  }

  @Test
  void aBulkTopicFillingTheConnectionDoesNotLockOutAnEmptyTopic() {
    OutboundTopic block = topic(2, 128 * MIB);
    OutboundTopic consensus = topic(1, 4 * MIB);

    assertThat(block.reserve(20 * MIB)).as("an empty topic takes one message of any size").isTrue();
    assertThat(block.reserve(MIB)).as("the connection is over its 16 MiB bound").isFalse();
    assertThat(consensus.reserve(1024)).as("an empty topic still takes one message").isTrue();
    assertThat(consensus.reserve(1024)).as("but only one while the connection is full").isFalse();
    assertThat(connQueued.get()).isEqualTo(20 * MIB + 1024);

    block.release(20 * MIB);
    assertThat(consensus.reserve(1024)).as("room again once the block is sent").isTrue();
  }

  @Test
  void eachTopicIsBoundedOnItsOwn() {
    OutboundTopic tx = topic(4, 2 * MIB);
    assertThat(tx.reserve(MIB)).isTrue();
    assertThat(tx.reserve(MIB)).isTrue();
    assertThat(tx.reserve(1)).isFalse();
    assertThat(connQueued.get()).isEqualTo(2 * MIB);
  }
}
