package network.canopy.p2p.transport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import network.canopy.p2p.config.ConfigDefaults;
import network.canopy.p2p.config.ConfigParser;
import network.canopy.p2p.config.P2pConfig;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeMachine;
import network.canopy.p2p.wire.HandshakeMessageReader;

/**
 * Deploys {@link ListenerVerticle}s on loopback with chosen {@code p2p.*} settings and probes them
 * with raw clients that send the first handshake message and record what comes back.
 */
final class ListenerFixture implements AutoCloseable {

  static final String NETWORK = "canopy-test";
  static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  final Vertx vertx = Vertx.vertx();
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final HandshakeMetrics metrics = new HandshakeMetrics(registry, "test");
  final HandshakeCredentials serverCredentials = ChannelFixture.credentials(NETWORK);

  /** Connections the listeners authenticated, server side. */
  final BlockingQueue<EncryptedConn> authenticated = new LinkedBlockingQueue<>();

  private final NetClient client = vertx.createNetClient();
  private final Map<String, NetClient> clientsByLocalIp =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The defaults on 127.0.0.1:0 with a long handshake deadline, changed by {@code p2p} keys. */
  static P2pConfig p2p(Map<String, Object> p2p) {
    JsonObject json = ConfigDefaults.json();
    JsonObject section =
        json.getJsonObject("p2p").put("listen", "127.0.0.1:0").put("handshakeTimeoutMs", 60_000L);
    p2p.forEach(
        (k, v) -> section.put(k, v instanceof List<?> l ? new JsonArray(List.copyOf(l)) : v));
    return ConfigParser.parse(json).p2p();
  }

  /** Deploys a listener (started, bound, credentials set) and returns it. */
  ListenerVerticle listen(P2pConfig p2p, int maxPendingHandshakes, int instances) throws Exception {
    ListenerVerticle listener =
        new ListenerVerticle(
            p2p,
            maxPendingHandshakes,
            instances,
            () -> serverCredentials,
            authenticated::add,
            metrics);
    await(vertx.deployVerticle(listener));
    return listener;
  }

  /**
   * As {@link #listen(P2pConfig, int, int)}, counting loopback subnets and groups like public ones.
   */
  ListenerVerticle listenGroupingLoopback(P2pConfig p2p) throws Exception {
    ListenerVerticle listener =
        new ListenerVerticle(p2p, 256, 2, () -> serverCredentials, authenticated::add, metrics)
            .groupingLoopback();
    await(vertx.deployVerticle(listener));
    return listener;
  }

  ListenerVerticle listen(Map<String, Object> p2p) throws Exception {
    return listen(p2p(p2p), 256, 2);
  }

  /** Connects, sends a valid first handshake message, and records the reply bytes and the close. */
  Probe probe(ListenerVerticle listener) throws Exception {
    return await(probeAsync(listener.boundAddress().port()));
  }

  Future<Probe> probeAsync(int port) {
    // Connect from an event loop, so the handlers are set in the very task that completes the
    // connect: from the test thread, a server that refuses at once could close the socket before
    // closeHandler was set, and the close would never be seen.
    Promise<Probe> probe = Promise.promise();
    vertx.runOnContext(v -> connectProbe(port).onComplete(probe));
    return probe.future();
  }

  /**
   * As {@link #probeAsync}, from the local address {@code localIp} (any of 127.0.0.0/8 on Linux).
   */
  Future<Probe> probeFrom(int port, String localIp) {
    NetClient from =
        clientsByLocalIp.computeIfAbsent(
            localIp,
            ip ->
                vertx.createNetClient(
                    new io.vertx.core.net.NetClientOptions().setLocalAddress(ip)));
    Promise<Probe> probe = Promise.promise();
    vertx.runOnContext(v -> connectProbe(from, port).onComplete(probe));
    return probe.future();
  }

  private Future<Probe> connectProbe(int port) {
    return connectProbe(client, port);
  }

  private Future<Probe> connectProbe(NetClient client, int port) {
    return client
        .connect(port, "127.0.0.1")
        .map(
            socket -> {
              Probe probe = new Probe(socket);
              socket.handler(probe::received);
              socket.closeHandler(v -> probe.closed.tryComplete());
              socket.exceptionHandler(
                  err -> {}); // a reset from a refusing server ends in close too
              try {
                HandshakeCredentials mine = ChannelFixture.credentials(NETWORK);
                socket.write(
                    Buffer.buffer(
                        HandshakeMessageReader.frame(
                            HandshakeMachine.initiator(mine, null).start())));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              return probe;
            });
  }

  /** Count of {@code p2p.accept.refused} with this reason (0 before the first). */
  double refused(String reason) {
    Counter counter = registry.find("p2p.accept.refused").tag("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  /** Open file descriptors of this process (the node and the test clients alike). */
  static long openFds() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(20));
  }

  /** One raw client connection; {@link #replied} completes on its first byte from the server. */
  static final class Probe {
    final NetSocket socket;
    final Promise<Void> replied = Promise.promise();
    final Promise<Void> closed = Promise.promise();
    final AtomicInteger bytes = new AtomicInteger();

    Probe(NetSocket socket) {
      this.socket = socket;
    }

    private void received(Buffer chunk) {
      bytes.addAndGet(chunk.length());
      replied.tryComplete();
    }

    /**
     * Waits until the server replied (true: admitted) or closed without a byte (false: refused).
     */
    boolean awaitOutcome() throws Exception {
      await(Future.any(replied.future(), closed.future()));
      return bytes.get() > 0;
    }

    /** Waits for the server's handshake reply: the connection was admitted. */
    Probe awaitAdmitted() throws Exception {
      await(replied.future());
      return this;
    }

    /** Waits for the close and checks that not one handshake byte came back. */
    void awaitRefused() throws Exception {
      await(closed.future());
      if (bytes.get() != 0) {
        throw new AssertionError("refused connection received " + bytes.get() + " bytes");
      }
    }

    void close() throws Exception {
      await(socket.close());
    }
  }
}
