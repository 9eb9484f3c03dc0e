package network.canopy.p2p.book;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.config.PeerAddress;

/**
 * Asks the node's dialer to connect to a peer ({@code <prefix>.internal.dial}): the one way the
 * redialer, the outbound filler and feelers dial. The future fails with the dialer's reason.
 */
public final class DialRequests {

  /**
   * A dial may wait for a connect timeout and a handshake deadline; the reply comes well within
   * this.
   */
  static final long REPLY_TIMEOUT_MS = 60_000;

  private DialRequests() {}

  public static Future<Message<String>> dial(Vertx vertx, Addresses addresses, PeerAddress target) {
    return vertx.eventBus().request(addresses.dial(), target.toString(), options());
  }

  /** A feeler: the dialer completes the handshake, which proves the address, and disconnects. */
  static Future<Message<String>> feel(Vertx vertx, Addresses addresses, PeerAddress target) {
    return vertx
        .eventBus()
        .request(
            addresses.dial(),
            target.toString(),
            options().addHeader(Addresses.HEADER_FEELER, "true"));
  }

  private static DeliveryOptions options() {
    return new DeliveryOptions().setSendTimeout(REPLY_TIMEOUT_MS);
  }
}
