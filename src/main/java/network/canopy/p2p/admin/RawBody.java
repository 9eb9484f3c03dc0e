package network.canopy.p2p.admin;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body as raw bytes, whatever its Content-Type, up to a limit (413 beyond it).
 * Vert.x's BodyHandler decodes form-urlencoded and multipart bodies, which is what plain {@code
 * curl --data-binary @file} sends, and so mangles or refuses binary payloads.
 */
final class RawBody implements Handler<RoutingContext> {

  private static final String KEY = "canopy.rawBody";

  private final long limit;

  RawBody(long limit) {
    this.limit = limit;
  }

  /** The body read by this handler earlier on the route (empty when there was none). */
  static Buffer of(RoutingContext ctx) {
    Buffer body = ctx.get(KEY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    long declared = declaredLength(request);
    if (declared > limit) {
      tooLarge(ctx, declared);
      return;
    }
    if (request.isEnded()) {
      ctx.next();
      return;
    }
    Buffer body = Buffer.buffer(declared > 0 ? (int) Math.min(declared, 65_536) : 1024);
    boolean[] refused = {false};
    request.handler(
        chunk -> {
          if (refused[0]) {
            return;
          }
          if (body.length() + (long) chunk.length() > limit) {
            refused[0] = true;
            tooLarge(ctx, -1);
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (!refused[0]) {
            ctx.put(KEY, body);
            ctx.next();
          }
        });
    request.exceptionHandler(err -> refused[0] = true);
    request.resume();
  }

  private void tooLarge(RoutingContext ctx, long declared) {
    String size = declared >= 0 ? declared + " bytes" : "body";
    // The rest of the body is not read: the connection closes after the answer.
    ctx.response()
        .putHeader(HttpHeaders.CONNECTION, "close")
        .endHandler(v -> ctx.request().connection().close());
    JsonReplies.error(ctx, 413, size + " is over the limit of " + limit + " bytes");
  }

  private static long declaredLength(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (header == null || header.isEmpty()) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
