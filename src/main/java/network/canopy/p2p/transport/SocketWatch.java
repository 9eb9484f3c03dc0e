package network.canopy.p2p.transport;

import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import network.canopy.p2p.conn.VertxInternals;

/**
 * What the listener needs of a socket beyond the public NetSocket API: its remote IP, and a close
 * notification that no later handler can replace.
 */
final class SocketWatch {

  private SocketWatch() {}

  /** Null when the remote address is unknown (a channel closed before it was first asked). */
  static InetAddress remoteIp(NetSocket socket) {
    return VertxInternals.channel(socket).remoteAddress() instanceof InetSocketAddress a
        ? a.getAddress()
        : null;
  }

  /**
   * Runs {@code action} once the socket is closed (at once, on this thread, if it already is).
   *
   * <p>Why not a NetSocket handler: a socket has one close handler, and the handshake and then
   * EncryptedConn each install their own, so one set at accept would be overwritten; an end handler
   * is queued behind paused reads, and a paused socket may never deliver it. Netty's channel close
   * future (reached through Vert.x's {@code NetSocketInternal}) completes exactly once when the
   * file descriptor is closed, by either side and on any path, and takes any number of listeners.
   * It completes before Vert.x runs the close handlers, so the slot is free when they see the
   * close.
   */
  static void onClosed(NetSocket socket, Runnable action) {
    VertxInternals.channel(socket).closeFuture().addListener(f -> action.run());
  }
}
