package network.canopy.p2p.node;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.DatagramSocketMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.util.function.Predicate;

/**
 * Vert.x's Micrometer metrics with event-bus meters for the topic addresses only: every other
 * message (each {@code <prefix>.send} request, the peers query) skips the per-message tag building
 * and meter look-ups — part of the 14 % of the node's CPU those meters took at 128-byte messages
 * (docs/PERFORMANCE.md), for series nothing documented. Everything else is Micrometer's.
 */
final class TopicBusMetrics implements VertxMetricsFactory {

  private final VertxMetricsFactory micrometer;
  private final Predicate<String> metered;

  /**
   * @param metered the addresses whose event-bus meters are kept
   */
  TopicBusMetrics(VertxMetricsFactory micrometer, Predicate<String> metered) {
    this.micrometer = micrometer;
    this.metered = metered;
  }

  @Override
  public VertxMetrics metrics(VertxOptions options) {
    return new Node(micrometer.metrics(options), metered);
  }

  /** Forwards everything to Micrometer's metrics but the event bus, which it filters. */
  private record Node(VertxMetrics all, Predicate<String> metered) implements VertxMetrics {
    @Override
    public EventBusMetrics<?> createEventBusMetrics() {
      EventBusMetrics<?> bus = all.createEventBusMetrics();
      return bus == null ? null : new Bus<>(bus, metered);
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
        HttpServerOptions options, SocketAddress localAddress) {
      return all.createHttpServerMetrics(options, localAddress);
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(
        SocketAddress remoteAddress, String type, String namespace) {
      return all.createClientMetrics(remoteAddress, type, namespace);
    }

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      return all.createHttpClientMetrics(options);
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(
        NetServerOptions options, SocketAddress localAddress) {
      return all.createNetServerMetrics(options, localAddress);
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
      return all.createNetClientMetrics(options);
    }

    @Override
    public DatagramSocketMetrics createDatagramSocketMetrics(DatagramSocketOptions options) {
      return all.createDatagramSocketMetrics(options);
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
      return all.createPoolMetrics(type, name, maxSize);
    }

    @Override
    public void vertxCreated(Vertx vertx) {
      all.vertxCreated(vertx);
    }

    @Override
    public boolean isMetricsEnabled() {
      return all.isMetricsEnabled();
    }

    @Override
    public void close() {
      all.close();
    }
  }

  /**
   * An address that is not metered gets no handler metric (null, which Vert.x and Micrometer's
   * per-handler calls accept), so its deliveries cost nothing either.
   */
  private record Bus<H>(EventBusMetrics<H> all, Predicate<String> metered)
      implements EventBusMetrics<H> {
    @Override
    public H handlerRegistered(String address) {
      return metered.test(address) ? all.handlerRegistered(address) : null;
    }

    @Override
    public void handlerUnregistered(H handler) {
      if (handler != null) {
        all.handlerUnregistered(handler);
      }
    }

    @Override
    public void scheduleMessage(H handler, boolean local) {
      if (handler != null) {
        all.scheduleMessage(handler, local);
      }
    }

    @Override
    public void discardMessage(H handler, boolean local, Message<?> msg) {
      if (handler != null) {
        all.discardMessage(handler, local, msg);
      }
    }

    @Override
    public void messageDelivered(H handler, boolean local) {
      if (handler != null) {
        all.messageDelivered(handler, local);
      }
    }

    @Override
    public void messageSent(String address, boolean publish, boolean local, boolean remote) {
      if (metered.test(address)) {
        all.messageSent(address, publish, local, remote);
      }
    }

    @Override
    public void messageReceived(String address, boolean publish, boolean local, int handlers) {
      if (metered.test(address)) {
        all.messageReceived(address, publish, local, handlers);
      }
    }

    @Override
    public void messageWritten(String address, int numberOfBytes) {
      if (metered.test(address)) {
        all.messageWritten(address, numberOfBytes);
      }
    }

    @Override
    public void messageRead(String address, int numberOfBytes) {
      if (metered.test(address)) {
        all.messageRead(address, numberOfBytes);
      }
    }

    @Override
    public void replyFailure(String address, ReplyFailure failure) {
      if (metered.test(address)) {
        all.replyFailure(address, failure);
      }
    }

    @Override
    public void close() {
      all.close();
    }
  }
}
