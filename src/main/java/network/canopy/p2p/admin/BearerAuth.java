package network.canopy.p2p.admin;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the admin API's write endpoints: when {@code admin.token} is set, a request must carry
 * {@code Authorization: Bearer <token>} (compared in constant time). Without a token the admin
 * server is loopback-only (config validation refuses anything else), and writes are open there.
 */
final class BearerAuth implements Handler<RoutingContext> {

  private final byte[] expected;

  BearerAuth(String token) {
    this.expected =
        token == null || token.isEmpty()
            ? null
            : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (expected == null) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
    if (MessageDigest.isEqual(expected, given)) {
      ctx.next();
    } else {
      ctx.response().putHeader("WWW-Authenticate", "Bearer");
      JsonReplies.error(ctx, 401, "missing or wrong bearer token");
    }
  }
}
