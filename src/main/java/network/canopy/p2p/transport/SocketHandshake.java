package network.canopy.p2p.transport;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MemoryBudget;
import network.canopy.p2p.wire.HandshakeCredentials;
import network.canopy.p2p.wire.HandshakeError;
import network.canopy.p2p.wire.HandshakeFailure;
import network.canopy.p2p.wire.HandshakeMachine;
import network.canopy.p2p.wire.HandshakeMessageReader;
import network.canopy.p2p.wire.SecureSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one side of the handshake over a freshly accepted or connected {@link NetSocket}, under one
 * deadline for the whole exchange. Success yields an {@link EncryptedConn}; any refusal closes the
 * socket, is logged once with its reason, and fails the future with a {@link HandshakeFailure}.
 * Runs on the socket's event-loop context; nothing thrown by bad input escapes a handler. What it
 * buffers draws from the node's memory budget (pool HANDSHAKE), asked for before it is kept.
 */
public final class SocketHandshake {

  private static final Logger log = LoggerFactory.getLogger(SocketHandshake.class);
  private static final String CLOSED_BEFORE_REPLY =
      "connection closed before any reply to the hello";

  private final Vertx vertx;
  private final NetSocket socket;
  private final HandshakeMachine machine;
  private final boolean initiator;
  private final HandshakeMessageReader reader = new HandshakeMessageReader();
  private final MemoryBudget budget;

  /** What the reader's buffer holds of the budget now. */
  private long charged;

  /**
   * Whether any byte came from the peer: a close before that may be a peer that predates version 2.
   */
  private boolean heard;

  private final Promise<EncryptedConn> result = Promise.promise();
  private long timerId = -1;
  private boolean done;

  private SocketHandshake(
      Vertx vertx,
      NetSocket socket,
      HandshakeMachine machine,
      boolean initiator,
      MemoryBudget budget) {
    this.budget = budget;
    this.vertx = vertx;
    this.socket = socket;
    this.machine = machine;
    this.initiator = initiator;
  }

  /** Dialer side; {@code expectedRemoteId} may be null when any identity is acceptable. */
  public static Future<EncryptedConn> initiate(
      Vertx vertx,
      NetSocket socket,
      HandshakeCredentials local,
      String expectedRemoteId,
      long timeoutMs) {
    return initiate(
        vertx, socket, local, expectedRemoteId, timeoutMs, HandshakeCredentials.MAX_VERSION);
  }

  /** Dialer side, offering at most {@code maxVersion} in the hello. */
  public static Future<EncryptedConn> initiate(
      Vertx vertx,
      NetSocket socket,
      HandshakeCredentials local,
      String expectedRemoteId,
      long timeoutMs,
      int maxVersion) {
    return initiate(
        vertx, socket, local, expectedRemoteId, timeoutMs, maxVersion, MemoryBudget.unlimited());
  }

  /** As above, buffering within the node's {@code budget}. */
  public static Future<EncryptedConn> initiate(
      Vertx vertx,
      NetSocket socket,
      HandshakeCredentials local,
      String expectedRemoteId,
      long timeoutMs,
      int maxVersion,
      MemoryBudget budget) {
    return new SocketHandshake(
            vertx,
            socket,
            HandshakeMachine.initiator(local, expectedRemoteId, maxVersion),
            true,
            budget)
        .run(timeoutMs);
  }

  /**
   * Whether an initiator's handshake failed because the responder closed the connection before
   * sending a single byte of message 2 — what a node that accepts only a version-1 hello does.
   */
  public static boolean closedBeforeReply(Throwable failure) {
    return failure instanceof HandshakeFailure f
        && f.reason() == HandshakeError.CLOSED
        && f.getMessage().endsWith(CLOSED_BEFORE_REPLY);
  }

  /** Listener side. */
  public static Future<EncryptedConn> respond(
      Vertx vertx, NetSocket socket, HandshakeCredentials local, long timeoutMs) {
    return respond(vertx, socket, local, timeoutMs, MemoryBudget.unlimited());
  }

  /** Listener side, buffering within the node's {@code budget}. */
  public static Future<EncryptedConn> respond(
      Vertx vertx,
      NetSocket socket,
      HandshakeCredentials local,
      long timeoutMs,
      MemoryBudget budget) {
    return new SocketHandshake(vertx, socket, HandshakeMachine.responder(local), false, budget)
        .run(timeoutMs);
  }

  private Future<EncryptedConn> run(long timeoutMs) {
    timerId =
        vertx.setTimer(
            timeoutMs,
            id ->
                fail(
                    new HandshakeFailure(
                        HandshakeError.TIMEOUT, "not finished within " + timeoutMs + " ms")));
    socket.exceptionHandler(
        err ->
            log.debug(
                "handshake socket error from {}: {}", socket.remoteAddress(), err.toString()));
    socket.closeHandler(
        v ->
            fail(
                new HandshakeFailure(
                    HandshakeError.CLOSED,
                    initiator && !heard
                        ? CLOSED_BEFORE_REPLY
                        : "connection closed during the handshake")));
    socket.handler(this::onData);
    if (initiator) {
      try {
        send(machine.start());
      } catch (HandshakeFailure f) {
        fail(f);
      }
    }
    return result.future();
  }

  private void onData(Buffer chunk) {
    if (done) {
      return;
    }
    heard |= chunk.length() > 0;
    if (!budget.tryAcquire(MemoryBudget.Pool.HANDSHAKE, chunk.length())) {
      fail(
          new HandshakeFailure(
              HandshakeError.OVER_BUDGET,
              "node memory budget spent (" + chunk.length() + " bytes refused)"));
      return;
    }
    charged += chunk.length();
    try {
      reader.feed(chunk.getBytes());
      byte[] message;
      while (!done && (message = reader.next()) != null) {
        HandshakeMachine.Step step = machine.onMessage(message);
        if (step.reply() != null) {
          send(step.reply());
        }
        if (step.session() != null) {
          succeed(step.session());
        }
      }
    } catch (HandshakeFailure f) {
      fail(f);
    } catch (RuntimeException e) {
      // A bug, not the peer's fault alone; still never let it escape the socket handler.
      log.warn("handshake with {} hit an internal error", socket.remoteAddress(), e);
      fail(new HandshakeFailure(HandshakeError.MALFORMED, "internal error: " + e));
    }
    releaseBudget(done ? 0 : reader.buffered());
  }

  /** Gives back what the reader no longer holds; {@code keep} = what it still buffers. */
  private void releaseBudget(long keep) {
    budget.release(MemoryBudget.Pool.HANDSHAKE, charged - keep);
    charged = keep;
  }

  private void send(byte[] message) {
    socket.write(Buffer.buffer(HandshakeMessageReader.frame(message)));
  }

  private void succeed(SecureSession session) {
    done = true;
    vertx.cancelTimer(timerId);
    releaseBudget(0);
    // The frame stream may already have started in this very chunk: hand its bytes over.
    EncryptedConn conn = new EncryptedConn(socket, session, initiator, reader.remainder());
    result.complete(conn);
  }

  private void fail(HandshakeFailure failure) {
    if (done) {
      return;
    }
    done = true;
    vertx.cancelTimer(timerId);
    releaseBudget(0);
    // Inbound refusals are the network's doing: at INFO, 200 garbage senders made the node write
    // hundreds of lines a second and cut honest delivery to 17% (FloodDefenceTest); they are
    // counted
    // by reason in p2p_handshakes_total instead. Our own dials failing stay visible.
    if (initiator) {
      log.info("handshake to {} refused: {}", socket.remoteAddress(), failure.getMessage());
    } else {
      log.debug("handshake from {} refused: {}", socket.remoteAddress(), failure.getMessage());
    }
    socket.handler(null);
    socket.close();
    result.fail(failure);
  }
}
