package network.canopy.p2p.admin;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON responses of the admin API; errors are always {@code {"error": "..."}}, never a stack trace.
 */
final class JsonReplies {

  private static final Logger log = LoggerFactory.getLogger(JsonReplies.class);

  private JsonReplies() {}

  static void json(RoutingContext ctx, int status, Object body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            body instanceof JsonObject json ? json.encode() : io.vertx.core.json.Json.encode(body));
  }

  static void error(RoutingContext ctx, int status, String message) {
    json(ctx, status, new JsonObject().put("error", message));
  }

  /**
   * Router failure handler: keeps the status a handler chose, hides internals of unexpected errors.
   */
  static void failure(RoutingContext ctx) {
    int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
    Throwable cause = ctx.failure();
    if (status >= 500 && cause != null) {
      log.warn(
          "admin {} {} failed: {}", ctx.request().method(), ctx.request().path(), cause.toString());
    }
    String message = status >= 500 ? "internal error" : describe(status, cause);
    error(ctx, status, message);
  }

  private static String describe(int status, Throwable cause) {
    if (cause != null && cause.getMessage() != null) {
      return cause.getMessage();
    }
    return switch (status) {
      case 400 -> "bad request";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not found";
      case 405 -> "method not allowed";
      case 413 -> "request body too large";
      default -> "request failed";
    };
  }
}
