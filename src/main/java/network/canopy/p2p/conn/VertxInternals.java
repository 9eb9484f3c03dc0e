package network.canopy.p2p.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.function.Consumer;

/**
 * The one place that reaches Vert.x's internal API (an ArchUnit rule keeps it so): zero-copy buffer
 * views and the Netty channel under a socket. Vert.x may move these between versions; then only
 * this file changes.
 */
public final class VertxInternals {
  private VertxInternals() {}

  /**
   * Wraps {@code bytes} read-only without copying (the caller must not touch the array afterwards;
   * Buffer.buffer(byte[]) would copy a 64 MiB message). Vert.x's {@code copy()} returns a read-only
   * buffer itself, so the event bus hands the same bytes to every local consumer instead of copying
   * them for each (a 16 MiB block cost its receiving loop a 16 MiB allocation and copy per
   * consumer); a clustered consumer still gets its own decoded copy.
   */
  public static Buffer wrapReadOnly(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }

  /**
   * The Netty buffer behind a Vert.x buffer, or null when it has none (so callers can read in
   * place).
   */
  public static ByteBuf byteBuf(Buffer buffer) {
    return buffer instanceof BufferInternal internal ? internal.getByteBuf() : null;
  }

  /**
   * Hands each read of {@code socket} to {@code reader} as Netty delivers it (a pooled buffer,
   * usually direct) and releases it when the reader returns, so the reader must copy what it keeps.
   * Vert.x's {@code handler} first copies every read into a new heap buffer: for a stream at 150
   * MB/s that was a quarter of all the node allocated. Pause and resume work as before.
   */
  public static void readInPlace(NetSocket socket, Consumer<ByteBuf> reader) {
    if (!(socket instanceof NetSocketInternal internal)) {
      socket.handler(buffer -> reader.accept(((BufferInternal) buffer).getByteBuf())); // stand-ins
      return;
    }
    // The handshake's data handler would otherwise stay registered (unused) and keep the whole
    // finished handshake reachable for the connection's life: ~2.5 KiB per idle peer.
    socket.handler(null);
    internal.messageHandler(
        msg -> {
          try {
            if (msg instanceof ByteBuf buf) {
              reader.accept(buf);
            }
          } finally {
            ReferenceCountUtil.release(msg);
          }
        });
  }

  /**
   * Writes {@code length} bytes of {@code bytes} to {@code socket} through a pooled buffer of the
   * channel's allocator, released by Netty once written: no garbage per frame, and no second copy
   * by Netty, which copies a heap buffer into a direct one before the kernel sees it anyway.
   */
  public static Future<Void> writeCopy(NetSocket socket, byte[] bytes, int offset, int length) {
    if (!(socket instanceof NetSocketInternal internal)) {
      return socket.write(Buffer.buffer().appendBytes(bytes, offset, length)); // stand-ins
    }
    ByteBuf buf = internal.channelHandlerContext().alloc().directBuffer(length);
    buf.writeBytes(bytes, offset, length);
    return internal.writeMessage(buf);
  }

  /** The Netty channel of a Vert.x TCP socket. */
  public static Channel channel(NetSocket socket) {
    return internal(socket).channelHandlerContext().channel();
  }

  private static NetSocketInternal internal(NetSocket socket) {
    if (socket instanceof NetSocketInternal internal) {
      return internal;
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
