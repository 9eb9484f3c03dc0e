package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The application on node A, as any app would be written: event-bus consumers on A's topic
 * addresses. Counts what arrives per topic; on {@code consensus} it can also echo each message back
 * to its sender (round trips) or record how long it travelled (stamped messages).
 */
final class P2pReceiver extends VerticleBase {

  /** What the consensus consumer does besides counting. */
  enum Mode {
    COUNT,
    ECHO,
    STAMP
  }

  static final String ECHO_TOPIC = "consensus";

  private final NodeAddresses node;
  private final List<String> topics;
  private final Map<String, DeliveryCounter> counters = new ConcurrentHashMap<>();
  private final LatencySamples latencies = new LatencySamples();
  private volatile Mode mode = Mode.COUNT;
  private volatile String eventLoop;

  P2pReceiver(NodeAddresses node, List<String> topics) {
    this.node = node;
    this.topics = List.copyOf(topics);
    topics.forEach(t -> counters.put(t, new DeliveryCounter()));
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    List<Future<Void>> registered = new ArrayList<>();
    for (String topic : topics) {
      MessageConsumer<Buffer> consumer =
          vertx.eventBus().consumer(node.topic(topic), msg -> onMessage(topic, msg));
      registered.add(consumer.completion());
    }
    return Future.all(registered);
  }

  private void onMessage(String topic, Message<Buffer> msg) {
    Buffer body = msg.body();
    counters.get(topic).add(body.length());
    if (!ECHO_TOPIC.equals(topic)) {
      return;
    }
    Mode now = mode;
    if (now == Mode.STAMP && body.length() >= Long.BYTES) {
      latencies.add(System.nanoTime() - body.getLong(0));
    } else if (now == Mode.ECHO) {
      DeliveryOptions to =
          new DeliveryOptions()
              .addHeader(NodeAddresses.HEADER_PEER, msg.headers().get(NodeAddresses.HEADER_PEER))
              .addHeader(NodeAddresses.HEADER_TOPIC, topic);
      echo(body, to);
    }
  }

  /** A refused echo is retried; any other loss shows as a round trip that never ends. */
  private void echo(Buffer body, DeliveryOptions to) {
    vertx
        .eventBus()
        .request(node.send(), body, to)
        .onFailure(
            err -> {
              if (SendWindow.isQueueFull(err)) {
                vertx.setTimer(1, id -> echo(body, to));
              }
            });
  }

  /** Set by the main thread between runs. */
  void mode(Mode next) {
    mode = next;
  }

  DeliveryCounter delivered(String topic) {
    return counters.get(topic);
  }

  LatencySamples latencies() {
    return latencies;
  }

  String eventLoop() {
    return eventLoop;
  }
}
