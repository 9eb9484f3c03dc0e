package network.canopy.p2p.conn;

import static network.canopy.p2p.conn.RawFrames.END;
import static network.canopy.p2p.conn.RawFrames.START;
import static network.canopy.p2p.conn.RawFrames.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import network.canopy.p2p.conn.ConnFixture.Conns;
import network.canopy.p2p.wire.ControlMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A raw peer breaks each receiver rule of docs/PROTOCOL.md §10 after a valid message; the MultiConn
 * closes with that rule's reason, tells the peer in a GOODBYE, and keeps nothing it was sent.
 */
class MultiConnProtocolErrorTest {

  private static final int TOPIC = 1;
  private final ConnFixture net = new ConnFixture();

  @AfterEach
  void tearDown() throws Exception {
    net.close();
  }

  static ConnSettings settings() {
    return ConnSettings.of(List.of(new TopicSpec(TOPIC, "blocks", 4, 1 << 20, 1 << 20, 1 << 20)));
  }

  /**
   * A raw dialer and a MultiConn acceptor; the raw side's first message arrives before anything.
   */
  private record Setup(RawConn raw, MultiConn multi, Recorder seen) {}

  private Setup connect() throws Exception {
    Conns conns =
        net.connect(ConnFixture.credentials(settings()), ConnFixture.credentials(settings()));
    Recorder seen = new Recorder();
    MultiConn multi = MultiConn.start(net.vertx, conns.acceptor(), settings(), seen);
    seen.attach(multi);
    RawConn raw = RawConn.start(conns.dialer());
    raw.send(frame().whole(TOPIC, "fine".getBytes()).bytes());
    assertThat(seen.next().payload().toString()).isEqualTo("fine");
    return new Setup(raw, multi, seen);
  }

  static Stream<Arguments> violations() {
    byte[] ten = new byte[10];
    return Stream.of(
        Arguments.of(
            "topic not in the table", CloseReason.UNKNOWN_TOPIC, frame().whole(9, ten).bytes()),
        Arguments.of("reserved topic", CloseReason.UNKNOWN_TOPIC, frame().whole(240, ten).bytes()),
        Arguments.of(
            "first packet without START",
            CloseReason.MALFORMED_PACKET,
            frame().continuation(TOPIC, 0, ten).bytes()),
        Arguments.of(
            "END with no message",
            CloseReason.MALFORMED_PACKET,
            frame().continuation(TOPIC, END, ten).bytes()),
        Arguments.of(
            "unknown flag bits",
            CloseReason.MALFORMED_PACKET,
            frame().start(TOPIC, START | END | 0x10, 10, ten).bytes()),
        Arguments.of(
            "START while a message is in progress",
            CloseReason.MALFORMED_PACKET,
            frame().start(TOPIC, START, 100, ten).start(TOPIC, START, 100, ten).bytes()),
        Arguments.of(
            "data_length past the frame's end",
            CloseReason.MALFORMED_PACKET,
            frame().start(TOPIC, START, 100, ten).lyingContinuation(TOPIC, 0, 50, ten).bytes()),
        Arguments.of(
            "header cut by the frame's end",
            CloseReason.MALFORMED_PACKET,
            new byte[] {TOPIC, START, 0}),
        Arguments.of(
            "unknown control message",
            CloseReason.MALFORMED_PACKET,
            frame().whole(0, new byte[] {42}).bytes()),
        Arguments.of(
            "lazy-push PRUNE on a connection without lazy/1",
            CloseReason.MALFORMED_PACKET,
            frame().whole(0, new byte[] {0x32, TOPIC, 0}).bytes()),
        Arguments.of(
            "OBSERVED_ADDRESS on a connection without addr/1",
            CloseReason.MALFORMED_PACKET,
            frame().whole(0, new byte[] {0x40, 4, 127, 0, 0, 1, 0x23, 0x29}).bytes()),
        Arguments.of(
            "more data than announced",
            CloseReason.LENGTH_MISMATCH,
            frame().start(TOPIC, START, 15, ten).continuation(TOPIC, END, ten).bytes()),
        Arguments.of(
            "END short of the total",
            CloseReason.LENGTH_MISMATCH,
            frame().start(TOPIC, START, 30, ten).continuation(TOPIC, END, ten).bytes()),
        Arguments.of(
            "message over the limit",
            CloseReason.MESSAGE_TOO_LARGE,
            frame().start(TOPIC, START | END, (1 << 20) + 1, ten).bytes()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void eachViolationClosesWithItsReason(String what, CloseReason expected, byte[] plaintext)
      throws Exception {
    Setup s = connect();
    s.raw().send(plaintext);
    Recorder.Closed closed = s.seen().awaitClosed();
    assertThat(closed.reason()).isEqualTo(expected);
    assertThat(expected.peerFault()).isTrue();
    assertThat(s.seen().messages).as("nothing after the valid message is delivered").isEmpty();
    ControlMessage bye = s.raw().nextNonPing();
    assertThat(bye).isInstanceOf(ControlMessage.Goodbye.class);
    assertThat(((ControlMessage.Goodbye) bye).code())
        .isEqualTo(ControlMessage.GOODBYE_PROTOCOL_ERROR);
    assertThat(((ControlMessage.Goodbye) bye).reason())
        .startsWith(expected.name() + ": ")
        .as("the reason is named once")
        .doesNotContain(expected.name() + ": " + expected.name());
    assertThat(closed.detail())
        .as("the close detail does not repeat the reason")
        .doesNotStartWith(expected.name());
    assertThat(s.raw().problems).isEmpty();
    assertThat(s.seen().closeCalls.get()).isEqualTo(1);
  }

  @Test
  void hugeClaimIsRefusedFromItsStartHeaderBeforeAnythingIsBuffered() throws Exception {
    Setup s = connect();
    s.raw().send(frame().start(TOPIC, START, 1L << 30, new byte[16]).bytes());
    assertThat(s.seen().awaitClosed().reason()).isEqualTo(CloseReason.MESSAGE_TOO_LARGE);
    ConnStats stats = s.multi().stats();
    assertThat(stats.reassemblyPeakBytes()).isZero();
    assertThat(stats.inboxPeakBytes()).isZero();
  }

  @Test
  void partOfAMessageIsHeldButReleasedWhenTheConnectionCloses() throws Exception {
    Setup s = connect();
    s.raw().send(frame().start(TOPIC, START, 1000, new byte[400]).bytes());
    s.raw().send(frame().whole(7, new byte[1]).bytes());
    assertThat(s.seen().awaitClosed().reason()).isEqualTo(CloseReason.UNKNOWN_TOPIC);
    ConnStats stats = s.multi().stats();
    // The budget has ample room, so the whole announced message was held at once.
    assertThat(stats.reassemblyPeakBytes()).isEqualTo(1000);
    assertThat(stats.reassemblyBytes()).isZero();
  }
}
