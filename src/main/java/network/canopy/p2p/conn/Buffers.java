package network.canopy.p2p.conn;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/** Zero-copy Buffer views of arrays this package owns outright (sealed frames, reassembled messages). */
final class Buffers {
  private Buffers() {}

  /**
   * Wraps {@code bytes} without copying; Buffer.buffer(byte[]) copies, which for a 64 MiB message
   * would double the memory it takes. The caller must not touch the array afterwards.
   */
  static Buffer wrap(byte[] bytes) {
    return BufferInternal.buffer(Unpooled.wrappedBuffer(bytes));
  }
}
