package network.canopy.p2p.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.TCPSSLOptions;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.VertxInternals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel options of peer sockets: no Nagle delay, the send/receive buffer sizes ({@code
 * p2p.socketBufferBytes}) and, on Netty's epoll transport, TCP_NOTSENT_LOWAT ({@code
 * p2p.notSentLowWaterBytes}), so the kernel keeps little unsent bulk ahead of an urgent frame.
 *
 * @param bufferBytes SO_SNDBUF and SO_RCVBUF, 0 = the OS's autotuning
 * @param notSentLowWaterBytes TCP_NOTSENT_LOWAT, 0 = not set
 */
public record SocketTuning(int bufferBytes, int notSentLowWaterBytes) {

  private static final Logger log = LoggerFactory.getLogger(SocketTuning.class);

  public static SocketTuning of(P2pConfig p2p) {
    return new SocketTuning(p2p.socketBufferBytes(), p2p.notSentLowWaterBytes());
  }

  /** Sets what Vert.x sets at accept or connect time on a server's or client's options. */
  <T extends TCPSSLOptions> T applyTo(T options) {
    options.setTcpNoDelay(true);
    if (bufferBytes > 0) {
      options.setSendBufferSize(bufferBytes).setReceiveBufferSize(bufferBytes);
    }
    return options;
  }

  /**
   * Sets TCP_NOTSENT_LOWAT on a connected socket, which Vert.x's options cannot express. Returns
   * whether it was set: false when it is 0, the socket is not on the epoll transport (NIO: the
   * option does not exist there, and the kernel's autotuned buffer is all the bound there is), or
   * the kernel refused it (the connection then goes on without it).
   */
  public boolean applyTo(NetSocket socket) {
    if (notSentLowWaterBytes <= 0) {
      return false;
    }
    Channel channel = VertxInternals.channel(socket);
    if (!(channel instanceof EpollSocketChannel epoll)) {
      return false;
    }
    try {
      epoll.config().setTcpNotSentLowAt(notSentLowWaterBytes);
      return true;
    } catch (RuntimeException e) {
      log.debug("TCP_NOTSENT_LOWAT refused on {}: {}", socket.remoteAddress(), e.toString());
      return false;
    }
  }
}
