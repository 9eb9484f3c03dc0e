package network.canopy.p2p.bench;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Reassembles length-prefixed messages from socket chunks. Each payload is copied at most once: a
 * message inside one chunk is a slice of it; a larger one is filled into a buffer of its exact
 * size. (Vert.x's RecordParser re-copies everything buffered on every chunk, which makes 1 MiB
 * records quadratic and would slow the baselines down for no reason of their own.)
 */
final class LengthPrefixedReader implements Handler<Buffer> {

  private final Handler<Buffer> onMessage;
  private final byte[] header = new byte[4];
  private int headerFill;
  private int bodyLength;
  private Buffer body;

  LengthPrefixedReader(Handler<Buffer> onMessage) {
    this.onMessage = onMessage;
  }

  @Override
  public void handle(Buffer chunk) {
    int pos = 0;
    int end = chunk.length();
    while (pos < end) {
      if (body != null) {
        pos = fillBody(chunk, pos, end);
      } else if (headerFill == 0 && end - pos >= 4 && end - pos - 4 >= chunk.getInt(pos)) {
        // The whole message is in this chunk: hand over a slice, no copy.
        int length = chunk.getInt(pos);
        onMessage.handle(chunk.slice(pos + 4, pos + 4 + length));
        pos += 4 + length;
      } else {
        pos = fillHeader(chunk, pos, end);
      }
    }
  }

  private int fillHeader(Buffer chunk, int pos, int end) {
    while (headerFill < 4 && pos < end) {
      header[headerFill++] = chunk.getByte(pos++);
    }
    if (headerFill == 4) {
      headerFill = 0;
      bodyLength = Buffer.buffer(header).getInt(0);
      if (bodyLength == 0) {
        onMessage.handle(Buffer.buffer());
      } else {
        body = Buffer.buffer(bodyLength);
      }
    }
    return pos;
  }

  private int fillBody(Buffer chunk, int pos, int end) {
    int take = Math.min(bodyLength - body.length(), end - pos);
    body.appendBuffer(chunk, pos, take);
    if (body.length() == bodyLength) {
      Buffer complete = body;
      body = null;
      onMessage.handle(complete);
    }
    return pos + take;
  }
}
