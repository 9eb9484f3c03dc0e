package network.canopy.p2p.attack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import network.canopy.p2p.conn.VertxInternals;
import network.canopy.p2p.testing.Blocking;
import network.canopy.p2p.wire.TopicInfo;

/**
 * Hostile peers against one node on loopback, each attack bounded in count and time: (a) silent
 * connections, (b) slowloris handshakes, (c) garbage, (d) authenticated floods, (e) oversized
 * length claims, (f) replayed frames and handshakes. Attackers come from 127.0.0.2 upwards (Linux
 * routes all of 127/8 to loopback), so per-IP limits meet them as they would distinct hosts, and
 * runs on its own Vert.x so its event loops are not the node's. Methods block until the attack is
 * over and every attacker socket is closed.
 */
public final class HostilePeers implements AutoCloseable {

  private static final SecureRandom RANDOM = new SecureRandom();

  /** Frames one attacker writes before yielding its event loop to the others. */
  private static final int FRAMES_PER_TURN = 64;

  private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
  private final int port;
  private final String network;

  /** One client per source address; held in a field, since Vert.x closes collected clients. */
  private final List<NetClient> clients = new ArrayList<>();

  private final Map<NetSocket, Long> open = new ConcurrentHashMap<>();
  private final Set<NetSocket> closingOurselves = ConcurrentHashMap.newKeySet();
  private final byte[] noise = new byte[1 << 16];

  /**
   * @param sourceIps attacker addresses, 127.0.0.2 .. 127.0.0.(1 + sourceIps), at most 250
   */
  public HostilePeers(int port, String network, int sourceIps) {
    if (sourceIps < 1 || sourceIps > 250) {
      throw new IllegalArgumentException("sourceIps must be 1..250, got " + sourceIps);
    }
    this.port = port;
    this.network = network;
    RANDOM.nextBytes(noise);
    for (int i = 0; i < sourceIps; i++) {
      clients.add(
          vertx.createNetClient(
              new NetClientOptions()
                  .setLocalAddress("127.0.0." + (2 + i))
                  .setConnectTimeout(5_000)
                  .setTcpNoDelay(true)));
    }
  }

  /** (a) {@code attempts} connections spread evenly over {@code over}, sending nothing. */
  public AttackReport silent(int attempts, Duration over, Duration linger)
      throws InterruptedException {
    Tally t = new Tally("silent");
    launch(attempts, over, i -> connect(t, i, null).onSuccess(s -> s.handler(ignored -> {})));
    awaitSettled(t, attempts, over.plusSeconds(10));
    Tally.awaitUntil(open::isEmpty, linger);
    return finish(t);
  }

  /**
   * (b) {@code count} connections opened over {@code over}, each sending message 1 a byte a second.
   */
  public AttackReport slowloris(int count, Duration over, Duration limit) throws Exception {
    Tally t = new Tally("slowloris");
    byte[] hello = RawSession.firstMessage(network);
    Map<NetSocket, int[]> trickling = new ConcurrentHashMap<>();
    launch(
        count,
        over,
        i ->
            connect(t, i, null)
                .onSuccess(
                    s -> {
                      s.handler(ignored -> {});
                      trickling.put(s, new int[1]);
                    }));
    long timer =
        vertx.setPeriodic(
            1000,
            id ->
                trickling.forEach(
                    (s, next) -> {
                      if (open.containsKey(s)) {
                        s.write(Buffer.buffer(new byte[] {hello[next[0]++ % hello.length]}));
                        t.bytes.incrementAndGet();
                      } else {
                        trickling.remove(s);
                      }
                    }));
    awaitSettled(t, count, over.plusSeconds(10));
    Tally.awaitUntil(open::isEmpty, limit);
    vertx.cancelTimer(timer);
    return finish(t);
  }

  /**
   * (c) {@code senders} connections writing 2 KiB of random bytes every 50 ms, reconnecting when
   * closed.
   */
  public AttackReport garbage(int senders, Duration duration) throws InterruptedException {
    Tally t = new Tally("garbage");
    long deadline = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < senders; i++) {
      garbageSender(t, i, deadline);
    }
    Tally.awaitUntil(() -> System.nanoTime() > deadline, duration.plusSeconds(1));
    return finish(t);
  }

  private void garbageSender(Tally t, int index, long deadline) {
    if (System.nanoTime() > deadline) {
      return;
    }
    long[] timer = {-1};
    Runnable again =
        () -> {
          vertx.cancelTimer(timer[0]);
          vertx.setTimer(10, id -> garbageSender(t, index, deadline));
        };
    connect(t, index, again)
        .onSuccess(
            s -> {
              s.handler(ignored -> {});
              timer[0] =
                  vertx.setPeriodic(
                      50,
                      id -> {
                        int at = RANDOM.nextInt(noise.length - 2048);
                        s.write(Buffer.buffer(Arrays.copyOfRange(noise, at, at + 2048)));
                        t.bytes.addAndGet(2048);
                      });
            })
        .onFailure(e -> vertx.setTimer(50, id -> garbageSender(t, index, deadline)));
  }

  /**
   * (d) {@code flooders} authenticated peers sending {@code size}-byte messages on {@code topic}
   * flat out.
   */
  public AttackReport flood(int flooders, Duration duration, int topic, int size)
      throws InterruptedException {
    Tally t = new Tally("flood");
    long deadline = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < flooders; i++) {
      connect(t, i, null)
          .compose(s -> RawSession.open(s, network))
          .onSuccess(session -> pump(t, session, topic, size, deadline));
    }
    Tally.awaitUntil(() -> System.nanoTime() > deadline, duration.plusSeconds(1));
    return finish(t);
  }

  /**
   * (g) {@code peers} authenticated peers that announce window/1 and ignore it: each starts a
   * message of {@code bigSize} bytes on {@code bigTopic} and sends all of it but the last byte
   * (then stalls), and floods {@code floodTopic} with 16 KiB messages past every window, as fast as
   * TCP lets it. Needs nothing from the node but reading.
   */
  public AttackReport stallAndOverrun(
      int peers, Duration duration, int bigTopic, int bigSize, int floodTopic)
      throws InterruptedException {
    Tally t = new Tally("stall-and-overrun");
    long deadline = System.nanoTime() + duration.toNanos();
    for (int i = 0; i < peers; i++) {
      connect(t, i, null)
          .compose(s -> RawSession.open(s, network, java.util.Set.of("window/1")))
          .onSuccess(
              session ->
                  stall(t, session, bigTopic, bigSize, floodTopic, new long[] {0}, deadline));
    }
    Tally.awaitUntil(() -> System.nanoTime() > deadline, duration.plusSeconds(1));
    return finish(t);
  }

  private void stall(
      Tally t,
      RawSession session,
      int bigTopic,
      int bigSize,
      int floodTopic,
      long[] sent,
      long deadline) {
    NetSocket s = session.socket;
    int chunk = 65_000;
    int turn = 0;
    try {
      while (!s.writeQueueFull() && System.nanoTime() < deadline && open.containsKey(s)) {
        if (++turn > FRAMES_PER_TURN) {
          // A socket the node has closed may never fill: yield, so its close handler can run.
          vertx.runOnContext(v -> stall(t, session, bigTopic, bigSize, floodTopic, sent, deadline));
          return;
        }
        byte[] frame;
        if (sent[0] < bigSize - 1) {
          int data = (int) Math.min(chunk, bigSize - 1 - sent[0]);
          frame = session.packetFrame(bigTopic, sent[0] == 0, bigSize, data);
          sent[0] += data;
        } else {
          frame = session.messageFrame(floodTopic, new byte[16 * 1024]);
          t.messages.incrementAndGet();
        }
        s.write(Buffer.buffer(frame));
        t.bytes.addAndGet(frame.length);
      }
    } catch (Exception e) {
      return;
    }
    if (System.nanoTime() < deadline && open.containsKey(s)) {
      s.drainHandler(v -> stall(t, session, bigTopic, bigSize, floodTopic, sent, deadline));
    }
  }

  private void pump(Tally t, RawSession session, int topic, int size, long deadline) {
    NetSocket s = session.socket;
    byte[] message = new byte[size];
    System.arraycopy("flood".getBytes(), 0, message, 0, 5);
    try {
      while (!s.writeQueueFull() && System.nanoTime() < deadline && open.containsKey(s)) {
        byte[] frame = session.messageFrame(topic, message);
        s.write(Buffer.buffer(frame));
        t.messages.incrementAndGet();
        t.bytes.addAndGet(frame.length);
      }
    } catch (Exception e) {
      return; // nonce exhausted, not reachable in seconds
    }
    if (System.nanoTime() < deadline && open.containsKey(s)) {
      s.drainHandler(v -> pump(t, session, topic, size, deadline));
    }
  }

  /**
   * (e) {@code count} connections, a third each: a handshake length prefix of 65535, a frame that
   * announces 65535 bytes and sends 100, a message START claiming 4 GiB on {@code topic}.
   */
  public AttackReport oversized(int count, int topic, Duration limit) throws Exception {
    Tally t = new Tally("oversized");
    for (int i = 0; i < count; i++) {
      int kind = i % 3;
      Future<NetSocket> socket = connect(t, i, null);
      if (kind == 0) {
        socket.onSuccess(s -> write(t, s, new byte[] {(byte) 0xff, (byte) 0xff, 1, 2, 3}));
      } else {
        socket
            .compose(s -> RawSession.open(s, network))
            .onSuccess(
                session -> {
                  try {
                    byte[] claim =
                        kind == 1
                            ? RawSession.partialFrame()
                            : session.oversizedClaimFrame(topic, 0xFFFF_FFFFL);
                    write(t, session.socket, claim);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
      }
    }
    awaitSettled(t, count, limit);
    Tally.awaitUntil(open::isEmpty, limit);
    return finish(t);
  }

  /**
   * (f) {@code count} sessions: half send a sealed frame twice (same nonce), half have their
   * handshake (messages 1 and 3) replayed on a new connection. The node should close the frame
   * replayers and the transcript replays: {@code count} connections.
   */
  public AttackReport replay(int count, int topic, Duration limit) throws Exception {
    Tally t = new Tally("replay");
    for (int i = 0; i < count; i++) {
      boolean frames = i % 2 == 0;
      int index = i;
      connect(t, i, null)
          .compose(s -> RawSession.open(s, network))
          .onSuccess(
              session -> {
                try {
                  byte[] frame = session.messageFrame(topic, "once".getBytes());
                  write(t, session.socket, frame);
                  if (frames) {
                    write(t, session.socket, frame); // same nonce again
                  } else {
                    connect(t, index + 1, null)
                        .onSuccess(
                            s -> {
                              s.handler(ignored -> {});
                              write(t, s, session.transcript); // someone else's messages 1 and 3
                            });
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
    }
    awaitSettled(t, count + count / 2, limit);
    // The sessions whose transcript was replayed elsewhere did nothing wrong themselves and stay.
    Tally.awaitUntil(() -> t.closedByNode.get() >= count, limit);
    return finish(t);
  }

  /**
   * (g) {@code count} connections that authenticate (carrying {@code topic}) and then never read
   * again, so what the node sends them piles up in the node's own buffers. They stay open, unread,
   * until {@link #close()}.
   */
  public AttackReport deaf(int count, TopicInfo topic, Duration limit) throws InterruptedException {
    Tally t = new Tally("deaf");
    AtomicInteger deaf = new AtomicInteger();
    for (int i = 0; i < count; i++) {
      connect(t, i, null)
          .compose(s -> RawSession.open(s, network, Set.of(), List.of(topic)))
          .onSuccess(
              session -> {
                // Not NetSocket.pause(): Vert.x keeps reading into its own queue for a while.
                VertxInternals.channel(session.socket).config().setAutoRead(false);
                deaf.incrementAndGet();
              });
    }
    Tally.awaitUntil(() -> deaf.get() >= count, limit);
    return t.report();
  }

  /**
   * Whether a new connection from source address {@code index} authenticates within {@code limit}
   * (false when the node closes it first); the connection is closed again either way.
   */
  public boolean authenticates(int index, Duration limit) throws InterruptedException {
    Tally t = new Tally("probe");
    AtomicReference<RawSession> done = new AtomicReference<>();
    connect(t, index, null).compose(s -> RawSession.open(s, network)).onSuccess(done::set);
    Tally.awaitUntil(() -> done.get() != null || t.closedByNode.get() > 0, limit);
    RawSession session = done.get();
    if (session != null) {
      closingOurselves.add(session.socket);
      VertxInternals.closeNow(session.socket);
    }
    return session != null;
  }

  /**
   * Opens and closes a few connections from each event loop, so the descriptors Vert.x and Netty
   * create lazily (selectors, timers) exist before a test takes its descriptor baseline.
   */
  public void warmUp() throws Exception {
    Tally t = new Tally("warm-up");
    for (int i = 0; i < 8; i++) {
      connect(t, i, null);
    }
    awaitSettled(t, 8, Duration.ofSeconds(10));
    closeAll();
  }

  /** Attacker sockets open now. */
  public int openSockets() {
    return open.size();
  }

  @Override
  public void close() {
    try {
      closeAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the sockets go with the Vert.x instance anyway
    }
    Blocking.awaitClosing(vertx.close(), Duration.ofSeconds(20));
  }

  private static void write(Tally t, NetSocket s, byte[] bytes) {
    s.write(Buffer.buffer(bytes));
    t.bytes.addAndGet(bytes.length);
  }

  /** Starts {@code count} actions spread evenly over {@code over}, in 10 ms ticks. */
  private void launch(int count, Duration over, java.util.function.IntConsumer action) {
    long ticks = Math.max(1, over.toMillis() / 10);
    int perTick = (int) Math.ceil(count / (double) ticks);
    int[] started = {0};
    vertx.setPeriodic(
        10,
        id -> {
          for (int k = 0; k < perTick && started[0] < count; k++) {
            action.accept(started[0]++);
          }
          if (started[0] >= count) {
            vertx.cancelTimer(id);
          }
        });
  }

  private Future<NetSocket> connect(Tally t, int index, Runnable onClose) {
    t.attempts.incrementAndGet();
    return clients
        .get(index % clients.size())
        .connect(port, "127.0.0.1")
        .onFailure(e -> t.connectFailed.incrementAndGet())
        .map(
            s -> {
              t.connections.incrementAndGet();
              long opened = System.nanoTime();
              open.put(s, opened);
              t.peakOpen.accumulateAndGet(open.size(), Math::max);
              s.closeHandler(
                  v -> {
                    open.remove(s);
                    t.longestLifeMs.accumulateAndGet(
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opened), Math::max);
                    if (!closingOurselves.remove(s)) {
                      t.closedByNode.incrementAndGet();
                      if (onClose != null) {
                        onClose.run();
                      }
                    }
                  });
              return s;
            });
  }

  private void awaitSettled(Tally t, long attempts, Duration limit) throws InterruptedException {
    Tally.awaitUntil(() -> t.connections.get() + t.connectFailed.get() >= attempts, limit);
  }

  /** Closes what is left from the attacker's side and waits until every socket is gone. */
  private AttackReport finish(Tally t) throws InterruptedException {
    closeAll();
    return t.report();
  }

  /**
   * Hangs up at once, dropping what is unsent: a polite close would first wait for queued bytes to
   * leave, which never happens on a socket the node has stopped reading (and Vert.x's own close
   * then waits on it too).
   */
  private void closeAll() throws InterruptedException {
    open.keySet()
        .forEach(
            s -> {
              closingOurselves.add(s);
              VertxInternals.closeNow(s);
            });
    Tally.awaitUntil(open::isEmpty, Duration.ofSeconds(10));
  }
}
