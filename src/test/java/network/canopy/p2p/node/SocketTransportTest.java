package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import network.canopy.p2p.conn.VertxInternals;
import network.canopy.p2p.transport.SocketTuning;
import org.junit.jupiter.api.Test;

/**
 * The node's socket transport: epoll where it loads, with TCP_NOTSENT_LOWAT set on both ends of a
 * peer connection (read back from the kernel); NIO when {@code -Dcanopy.transport=nio} forces it,
 * where the low-water mark is skipped and the connection still carries data.
 */
class SocketTransportTest {

  private static final int LOW_WATER = 65536;

  /** The accepting and the dialling end of one loopback connection, each tuned as a peer socket. */
  private record Ends(
      NetSocket accepted, NetSocket dialled, boolean acceptedTuned, boolean dialledTuned) {}

  @Test
  void epollSetsTheNotSentLowWaterMarkOnBothEnds() throws Exception {
    assumeTrue(Epoll.isAvailable(), "native epoll needs Linux x86-64");
    Vertx vertx = VertxBootstrap.create(VertxBootstrap.newRegistry());
    try {
      assertThat(vertx.isNativeTransportEnabled()).isTrue();
      Ends ends = connect(vertx, new SocketTuning(0, LOW_WATER));
      assertThat(ends.acceptedTuned()).isTrue();
      assertThat(ends.dialledTuned()).isTrue();
      for (NetSocket socket : new NetSocket[] {ends.accepted(), ends.dialled()}) {
        EpollSocketChannel channel = (EpollSocketChannel) VertxInternals.channel(socket);
        assertThat(channel.config().getTcpNotSentLowAt()).isEqualTo(LOW_WATER); // getsockopt
      }
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void nioFallbackSkipsTheLowWaterMarkAndStillCarriesData() throws Exception {
    Vertx vertx =
        withTransportProperty("nio", () -> VertxBootstrap.create(VertxBootstrap.newRegistry()));
    try {
      assertThat(vertx.isNativeTransportEnabled()).isFalse();
      Ends ends = connect(vertx, new SocketTuning(0, LOW_WATER));
      assertThat(ends.acceptedTuned()).isFalse();
      assertThat(ends.dialledTuned()).isFalse();
      Promise<Buffer> echoed = Promise.promise();
      Buffer received = Buffer.buffer();
      ends.dialled()
          .handler(
              chunk -> {
                received.appendBuffer(chunk);
                if (received.length() == 5) {
                  echoed.tryComplete(received);
                }
              });
      ends.accepted().handler(ends.accepted()::write);
      ends.dialled().write(Buffer.buffer("hello"));
      assertThat(echoed.future().await(10, TimeUnit.SECONDS).toString()).isEqualTo("hello");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anUnknownTransportChoiceFailsFastNamingTheProperty() {
    assertThatThrownBy(() -> withTransportProperty("kqueue-please", VertxBootstrap::transport))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(VertxBootstrap.TRANSPORT_PROPERTY);
  }

  private static Ends connect(Vertx vertx, SocketTuning tuning) throws Exception {
    Promise<NetSocket> accepted = Promise.promise();
    Promise<Boolean> acceptedTuned = Promise.promise();
    NetServer server =
        vertx
            .createNetServer(new NetServerOptions().setHost("127.0.0.1"))
            .connectHandler(
                socket -> {
                  acceptedTuned.complete(tuning.applyTo(socket));
                  accepted.complete(socket);
                });
    int port = server.listen(0).await(10, TimeUnit.SECONDS).actualPort();
    NetSocket dialled =
        vertx.createNetClient().connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    boolean dialledTuned = tuning.applyTo(dialled);
    return new Ends(
        accepted.future().await(10, TimeUnit.SECONDS),
        dialled,
        acceptedTuned.future().await(10, TimeUnit.SECONDS),
        dialledTuned);
  }

  private static <T> T withTransportProperty(String value, Supplier<T> action) {
    String before = System.getProperty(VertxBootstrap.TRANSPORT_PROPERTY);
    System.setProperty(VertxBootstrap.TRANSPORT_PROPERTY, value);
    try {
      return action.get();
    } finally {
      if (before == null) {
        System.clearProperty(VertxBootstrap.TRANSPORT_PROPERTY);
      } else {
        System.setProperty(VertxBootstrap.TRANSPORT_PROPERTY, before);
      }
    }
  }
}
