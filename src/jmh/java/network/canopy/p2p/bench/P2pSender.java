package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application on node B: sends to node A through B's public surface only (request/reply on
 * {@code <prefixB>.send} with the {@code p2p-peer} and {@code p2p-topic} headers) and hears A's
 * echoes on {@code <prefixB>.topic.consensus}. Public methods hop onto this verticle's loop.
 */
final class P2pSender extends VerticleBase {

  private final NodeAddresses node;
  private final String peerId;
  private final AtomicLong ticksSent = new AtomicLong();
  private final AtomicLong ticksAccepted = new AtomicLong();
  private final AtomicLong ticksRefused = new AtomicLong();
  private volatile String eventLoop;
  private Promise<long[]> pingDone;
  private long[] samples;
  private int pings;
  private long sentAt;
  private Buffer pingPayload;
  private long tickTimer = -1;

  P2pSender(NodeAddresses node, String peerId) {
    this.node = node;
    this.peerId = peerId;
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    return vertx
        .eventBus()
        .<Buffer>consumer(node.topic(P2pReceiver.ECHO_TOPIC), msg -> onPong())
        .completion();
  }

  DeliveryOptions to(String topic) {
    return new DeliveryOptions()
        .addHeader(NodeAddresses.HEADER_PEER, peerId)
        .addHeader(NodeAddresses.HEADER_TOPIC, topic);
  }

  /** One send request; the future carries the node's answer (or NO_HANDLERS when it has none). */
  Future<Void> send(String topic, Buffer payload) {
    return onLoop(() -> vertx.eventBus().request(node.send(), payload, to(topic)))
        .compose(reply -> reply)
        .mapEmpty();
  }

  /** Starts a window of outstanding sends of {@code payload} on {@code topic}. */
  Future<SendWindow> startWindow(String topic, Buffer payload, int window) {
    return onLoop(
        () -> {
          SendWindow sends = new SendWindow(vertx, node.send(), to(topic), payload, window);
          sends.start();
          return sends;
        });
  }

  Future<Void> stopWindow(SendWindow sends) {
    return onLoop(sends::stop).compose(stopped -> stopped);
  }

  /** Sequential round trips through both nodes; A's receiver must be in echo mode. */
  Future<long[]> pingPong(Buffer payload, int count) {
    Promise<long[]> done = Promise.promise();
    context.runOnContext(
        v -> {
          pingPayload = payload;
          samples = new long[count];
          pings = 0;
          pingDone = done;
          sentAt = System.nanoTime();
          ping();
        });
    return done.future();
  }

  /** A refused ping is retried: the wait stays inside that round trip's time. */
  private void ping() {
    vertx
        .eventBus()
        .request(node.send(), pingPayload, to(P2pReceiver.ECHO_TOPIC))
        .onFailure(
            err -> {
              if (SendWindow.isQueueFull(err)) {
                vertx.setTimer(1, id -> ping());
              } else if (pingDone != null) {
                Promise<long[]> done = pingDone;
                pingDone = null;
                done.fail(err);
              }
            });
  }

  private void onPong() {
    if (pingDone == null) {
      return;
    }
    long now = System.nanoTime();
    samples[pings++] = now - sentAt;
    if (pings < samples.length) {
      sentAt = now;
      ping();
    } else {
      Promise<long[]> done = pingDone;
      pingDone = null;
      done.complete(samples);
    }
  }

  /**
   * Every {@code periodMs}, one {@code size}-byte message on {@code topic} stamped with nanoTime.
   */
  Future<Void> startTicks(String topic, int size, long periodMs) {
    Buffer template = Payloads.random(size);
    return onLoop(
        () -> {
          tickTimer =
              vertx.setPeriodic(
                  periodMs,
                  id -> {
                    ticksSent.incrementAndGet();
                    Buffer message = template.copy().setLong(0, System.nanoTime());
                    vertx
                        .eventBus()
                        .request(node.send(), message, to(topic))
                        .onComplete(
                            ar ->
                                (ar.succeeded() ? ticksAccepted : ticksRefused).incrementAndGet());
                  });
          return null;
        });
  }

  Future<Void> stopTicks() {
    return onLoop(() -> vertx.cancelTimer(tickTimer)).mapEmpty();
  }

  long ticksSent() {
    return ticksSent.get();
  }

  /** Stamped messages the node took: each should reach A's consumer. */
  long ticksAccepted() {
    return ticksAccepted.get();
  }

  /** Stamped messages the node refused (never sent, so missing from the latencies). */
  long ticksRefused() {
    return ticksRefused.get();
  }

  String eventLoop() {
    return eventLoop;
  }

  private <T> Future<T> onLoop(Callable<T> action) {
    Promise<T> done = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            done.complete(action.call());
          } catch (Exception e) {
            done.fail(e);
          }
        });
    return done.future();
  }
}
