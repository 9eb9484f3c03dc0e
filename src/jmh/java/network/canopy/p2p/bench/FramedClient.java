package network.canopy.p2p.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSession;

/**
 * Sending end of a baseline: one connection to a {@link FramedServer}, over which it either streams
 * messages back to back (respecting the socket's write queue) or runs ping-pongs. The public
 * methods may be called from any thread; the work hops onto this verticle's event loop.
 */
final class FramedClient extends VerticleBase {

  /** Writes per event-loop turn before the pump yields. */
  private static final int BATCH = 64;

  private final NetClientOptions options;
  private final int port;
  private final AtomicLong streamed = new AtomicLong();
  private volatile String eventLoop;
  private volatile Throwable streamFailure;

  /** Held on purpose: Vert.x closes a NetClient, and its connections, once it is garbage. */
  private NetClient client;

  private NetSocket socket;
  private boolean streaming;
  private Buffer payload;
  private Promise<long[]> pingDone;
  private long[] samples;
  private int pings;
  private long sentAt;

  FramedClient(NetClientOptions options, int port) {
    this.options = options;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    eventLoop = Thread.currentThread().getName();
    client = vertx.createNetClient(options);
    return client
        .connect(port, "127.0.0.1")
        .andThen(
            ar -> {
              if (ar.succeeded()) {
                socket = ar.result();
                socket.handler(LengthPrefixed.reader(this::onReply));
              }
            })
        .compose(s -> checkTls(s));
  }

  /** A TLS baseline that negotiated anything but the intended protocol and suite would mislead. */
  private static Future<Void> checkTls(NetSocket socket) {
    if (!socket.isSsl()) {
      return Future.succeededFuture();
    }
    SSLSession session = socket.sslSession();
    if (!SelfSignedTls.PROTOCOL.equals(session.getProtocol())
        || !SelfSignedTls.CIPHER_SUITE.equals(session.getCipherSuite())) {
      return Future.failedFuture(
          "TLS baseline negotiated " + session.getProtocol() + " " + session.getCipherSuite());
    }
    return Future.succeededFuture();
  }

  Future<Void> startStream(Buffer message) {
    return onLoop(
        () -> {
          payload = message;
          streaming = true;
          pump();
        });
  }

  Future<Void> stopStream() {
    return onLoop(
        () -> {
          streaming = false;
        });
  }

  /**
   * Writes while the socket's write queue has room, as Vert.x intends: then waits for its drain
   * handler. After {@code BATCH} writes the loop yields to the event loop and resumes from a task:
   * inside one loop Vert.x never sees its queue fill up, and stop requests would starve.
   */
  private void pump() {
    int budget = BATCH;
    while (streaming && !socket.writeQueueFull() && budget-- > 0) {
      streamed.incrementAndGet();
      LengthPrefixed.write(socket, payload)
          .onFailure(
              err -> {
                streamFailure = err;
                streaming = false;
              });
    }
    if (!streaming) {
      socket.drainHandler(null);
    } else if (socket.writeQueueFull()) {
      socket.drainHandler(v -> pump());
    } else {
      context.runOnContext(v -> pump());
    }
  }

  /** {@code count} sequential round trips of {@code message}; completes with their times in ns. */
  Future<long[]> pingPong(Buffer message, int count) {
    Promise<long[]> done = Promise.promise();
    context.runOnContext(
        v -> {
          payload = message;
          samples = new long[count];
          pings = 0;
          pingDone = done;
          ping();
        });
    return done.future();
  }

  private void ping() {
    sentAt = System.nanoTime();
    LengthPrefixed.write(socket, payload);
  }

  private void onReply(Buffer reply) {
    if (pingDone == null) {
      return;
    }
    samples[pings++] = System.nanoTime() - sentAt;
    if (pings < samples.length) {
      ping();
    } else {
      Promise<long[]> done = pingDone;
      pingDone = null;
      done.complete(samples);
    }
  }

  private Future<Void> onLoop(Runnable action) {
    Promise<Void> done = Promise.promise();
    context.runOnContext(
        v -> {
          action.run();
          done.complete();
        });
    return done.future();
  }

  /** Why a stream stopped on its own (a failed write), or null. */
  Throwable streamFailure() {
    return streamFailure;
  }

  /** Messages written by streams so far (round trips not included). */
  long streamed() {
    return streamed.get();
  }

  String eventLoop() {
    return eventLoop;
  }
}
