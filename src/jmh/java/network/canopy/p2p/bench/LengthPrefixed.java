package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** The baselines' framing: each message is a 4-byte big-endian length followed by the payload. */
final class LengthPrefixed {

  /** Up to this size header and payload go out as one buffer: one write, one flush. */
  private static final int COPY_LIMIT = 64 * 1024;

  private LengthPrefixed() {}

  /**
   * Writes one framed message; the future completes when the socket has taken all of it. Large
   * payloads are not copied: the header goes out on its own.
   */
  static Future<Void> write(NetSocket socket, Buffer payload) {
    int length = payload.length();
    if (length <= COPY_LIMIT) {
      return socket.write(Buffer.buffer(4 + length).appendInt(length).appendBuffer(payload));
    }
    socket.write(Buffer.buffer(4).appendInt(length));
    return socket.write(payload);
  }

  /** A socket handler that hands each complete payload to {@code onMessage}. */
  static Handler<Buffer> reader(Handler<Buffer> onMessage) {
    return new LengthPrefixedReader(onMessage);
  }
}
