package network.canopy.p2p.conn;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketDecoder;
import network.canopy.p2p.wire.PacketException;
import network.canopy.p2p.wire.PacketFormat;
import network.canopy.p2p.wire.WireFormatException;

/**
 * A peer without MultiConn: an authenticated EncryptedConn whose frame plaintexts the test writes
 * byte by byte (so it can break every packet rule), and which records the control messages and
 * count of application messages it receives. It never answers a PING.
 */
final class RawConn implements EncryptedConn.Listener {
  final EncryptedConn conn;
  final BlockingQueue<ControlMessage> control = new LinkedBlockingQueue<>();
  final AtomicLong applicationMessages = new AtomicLong();
  final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

  /** What the MultiConn sent that breaks the protocol; tests assert it stays empty. */
  final BlockingQueue<String> problems = new LinkedBlockingQueue<>();

  private final PacketDecoder decoder;

  private RawConn(EncryptedConn conn) {
    this.conn = conn;
    long[] limits = new long[PacketFormat.TOPIC_COUNT];
    Arrays.fill(limits, PacketFormat.MAX_MESSAGE_LENGTH);
    this.decoder =
        new PacketDecoder(
            limits,
            (topic, message) -> {
              if (topic != PacketFormat.CONTROL_TOPIC) {
                applicationMessages.incrementAndGet();
                return;
              }
              try {
                control.add(ControlMessage.decode(message));
              } catch (WireFormatException e) {
                problems.add("bad control message: " + e.getMessage());
              }
            });
  }

  /** Starts {@code conn} (unstarted, from the fixture) with a raw listener, on its context. */
  static RawConn start(EncryptedConn conn) {
    RawConn raw = new RawConn(conn);
    conn.context().runOnContext(v -> conn.start(raw));
    return raw;
  }

  /** Seals {@code plaintext} as one frame and writes it (on the connection's context). */
  void send(byte[] plaintext) {
    conn.context().runOnContext(v -> conn.send(plaintext));
  }

  /** The next control message the MultiConn sent, skipping PINGs. */
  ControlMessage nextNonPing() throws InterruptedException {
    while (true) {
      ControlMessage m = control.poll(ConnFixture.TIMEOUT_S, TimeUnit.SECONDS);
      if (m == null) {
        throw new AssertionError("no control message within " + ConnFixture.TIMEOUT_S + " s");
      }
      if (!(m instanceof ControlMessage.Ping)) {
        return m;
      }
    }
  }

  @Override
  public void onFrame(byte[] plaintext, int offset, int length) {
    try {
      decoder.decodeFrame(plaintext, offset, length);
    } catch (PacketException e) {
      problems.add("packet rules broken: " + e.getMessage());
    }
  }

  @Override
  public void onClosed(CloseReason reason, String detail) {
    closed.complete(reason);
  }
}
