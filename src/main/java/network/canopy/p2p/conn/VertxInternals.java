package network.canopy.p2p.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

/**
 * The one place that reaches Vert.x's internal API (an ArchUnit rule keeps it so): zero-copy buffer
 * views and the Netty channel under a socket. Vert.x may move these between versions; then only
 * this file changes.
 */
public final class VertxInternals {
  private VertxInternals() {}

  /**
   * Wraps {@code bytes} without copying; Buffer.buffer(byte[]) copies, which for a 64 MiB message
   * would double the memory it takes. The caller must not touch the array afterwards.
   */
  public static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }

  /**
   * The Netty buffer behind a Vert.x buffer, or null when it has none (so callers can read in
   * place).
   */
  public static ByteBuf byteBuf(Buffer buffer) {
    return buffer instanceof BufferInternal internal ? internal.getByteBuf() : null;
  }

  /** The Netty channel of a Vert.x TCP socket. */
  public static Channel channel(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      return internal.channelHandlerContext().channel();
    }
    throw new IllegalStateException("not a Vert.x TCP socket: " + socket.getClass().getName());
  }

  /**
   * Closes the socket's channel at once, dropping whatever is still queued for the peer. Vert.x's
   * own {@code close()} first waits until the queued bytes are written, which never happens while
   * the peer does not read — and once it has begun, Vert.x ignores its own later forced shutdown.
   */
  public static void closeNow(NetSocket socket) {
    Channel channel = channel(socket);
    channel
        .eventLoop()
        .execute(
            () -> {
              if (channel.isOpen()) {
                channel.unsafe().close(channel.unsafe().voidPromise());
              }
            });
  }
}
