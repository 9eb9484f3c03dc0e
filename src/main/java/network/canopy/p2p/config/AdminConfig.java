package network.canopy.p2p.config;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Where the admin HTTP surface listens and the bearer token its write endpoints require (empty =
 * none; only allowed on a loopback address). The token never appears in toString or toJson.
 */
public record AdminConfig(HostPort listen, String token) {
  /** What toJson and toString show instead of a set token. */
  public static final String REDACTED = "<redacted>";

  public AdminConfig {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(token, "token");
  }

  public boolean isLoopback() {
    return listen.isLoopback();
  }

  public boolean hasToken() {
    return !token.isEmpty();
  }

  /** The token is redacted: this JSON is meant to be shown (e.g. by the admin API). */
  public JsonObject toJson() {
    return new JsonObject().put("listen", listen.toString()).put("token", shownToken());
  }

  @Override
  public String toString() {
    return "AdminConfig[listen=" + listen + ", token=" + shownToken() + "]";
  }

  private String shownToken() {
    return hasToken() ? REDACTED : "";
  }
}
