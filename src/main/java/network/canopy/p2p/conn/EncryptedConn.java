package network.canopy.p2p.conn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.wire.FrameDecoder;
import network.canopy.p2p.wire.FrameEncoder;
import network.canopy.p2p.wire.FrameException;
import network.canopy.p2p.wire.NodeMetadata;
import network.canopy.p2p.wire.SecureSession;
import network.canopy.p2p.wire.WireLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypted frames over one authenticated {@link NetSocket}: seals outgoing plaintexts, opens
 * incoming frames in order, and closes exactly once with a {@link CloseReason}. Confined to the
 * socket's event-loop context: call it only from there.
 */
public final class EncryptedConn {

  /** Receives what the connection delivers. */
  public interface Listener {
    /** One frame's plaintext; the array is reused after the call returns: copy what you keep. */
    void onFrame(byte[] plaintext, int offset, int length);

    /** Called once when the connection ends, for whatever reason. */
    void onClosed(CloseReason reason, String detail);
  }

  private static final Logger log = LoggerFactory.getLogger(EncryptedConn.class);

  /**
   * How long a connection that said GOODBYE keeps reading before it hangs up itself, and how long a
   * hang-up waits for queued bytes to leave before it drops them (PROTOCOL.md §9.3).
   */
  public static final long LINGER_MS = 1_000;

  /** Bytes kept between the handshake and {@link #start} before the socket pauses. */
  static final int STASH_LIMIT = 256 * 1024;

  /** Where a read from a direct buffer is copied for decrypting; see {@link #onRead}. */
  private static final ThreadLocal<byte[]> SCRATCH =
      ThreadLocal.withInitial(() -> new byte[64 * 1024]);

  /** Where a frame is sealed before it is copied into a pooled buffer for the socket. */
  private static final ThreadLocal<byte[]> SCRATCH_OUT =
      ThreadLocal.withInitial(() -> new byte[WireLimits.MAX_FRAME_BYTES]);

  private final NetSocket socket;
  private final Context context;
  private final SecureSession session;
  private final boolean initiator;
  private final FrameEncoder encoder;
  private final FrameDecoder decoder;
  private byte[] earlyBytes;

  /** What arrives between the handshake and {@link #start}; null once started. */
  private Buffer stash = Buffer.buffer();

  private boolean remoteClosedBeforeStart;

  /** The listener asked to stop reading (it may, while the stash is fed in start). */
  private boolean pausedByListener;

  private Listener listener;
  private boolean closed;
  private CloseReason closeReason;
  private String closeDetail;

  /**
   * Built by the handshake, on the socket's context (which it remembers); {@code earlyBytes} are
   * frame bytes that arrived with the handshake's last message.
   */
  public EncryptedConn(
      NetSocket socket, SecureSession session, boolean initiator, byte[] earlyBytes) {
    this.socket = socket;
    this.context = Vertx.currentContext();
    if (context == null) {
      throw new IllegalStateException("EncryptedConn must be built on its socket's context");
    }
    this.session = session;
    this.initiator = initiator;
    this.earlyBytes = earlyBytes;
    this.encoder = new FrameEncoder(session.send());
    this.decoder = new FrameDecoder(session.receive(), this::deliver);
    VertxInternals.readInPlace(socket, this::onRead);
    socket.closeHandler(v -> remoteClosed());
    socket.exceptionHandler(err -> close(CloseReason.IO_ERROR, err.toString()));
  }

  /** Starts delivering frames (first those that arrived with the handshake) to {@code listener}. */
  public void start(Listener listener) {
    this.listener = listener;
    if (closed) {
      listener.onClosed(closeReason, closeDetail);
      return;
    }
    byte[] early = earlyBytes;
    earlyBytes = null;
    Buffer stashed = stash;
    stash = null;
    if (early.length > 0) {
      feed(early, 0, early.length);
    }
    if (stashed.length() > 0) {
      feed(stashed);
    }
    if (remoteClosedBeforeStart) {
      closed(CloseReason.REMOTE_CLOSED, "peer closed the connection"); // unless a GOODBYE said why
    } else if (!closed && !pausedByListener) {
      // Undo the stash's own pause, but not one the listener asked for while the stash was fed:
      // resuming then would read on while the listener believes reading is stopped.
      socket.resume();
    }
  }

  /** One socket read, in Netty's buffer (released after this returns). */
  private void onRead(ByteBuf read) {
    if (closed) {
      return; // after a GOODBYE the socket is read and dropped until the peer hangs up
    }
    if (listener == null) {
      stash(read);
    } else if (read.hasArray()) {
      feed(read.array(), read.arrayOffset() + read.readerIndex(), read.readableBytes());
    } else {
      // The decoder copies what it keeps, so one array per event-loop thread serves every
      // connection on it: no garbage per read, and nothing per idle connection.
      byte[] scratch = SCRATCH.get();
      while (read.isReadable() && !closed) {
        int n = Math.min(scratch.length, read.readableBytes());
        read.readBytes(scratch, 0, n);
        feed(scratch, 0, n);
      }
    }
  }

  /**
   * Before {@link #start}, keeps what arrives — bounded: past {@link #STASH_LIMIT} the socket
   * pauses — so a peer that says GOODBYE and hangs up at once is still heard with its reason.
   */
  private void stash(ByteBuf read) {
    stash.appendBytes(ByteBufUtil.getBytes(read));
    if (stash.length() >= STASH_LIMIT) {
      socket.pause();
    }
  }

  private void remoteClosed() {
    if (listener == null) {
      remoteClosedBeforeStart = true; // reported by start, after what the peer sent before closing
    } else {
      closed(CloseReason.REMOTE_CLOSED, "peer closed the connection");
    }
  }

  /**
   * Seals one frame of at most {@code WireLimits.MAX_FRAME_PLAINTEXT} bytes and writes it. The
   * future completes when the socket has taken it; callers respect {@link #writeQueueFull()}.
   */
  public Future<Void> send(byte[] plaintext, int offset, int length) {
    if (closed) {
      return Future.failedFuture("connection closed");
    }
    try {
      byte[] sealed = SCRATCH_OUT.get();
      int n = encoder.seal(plaintext, offset, length, sealed, 0);
      return VertxInternals.writeCopy(socket, sealed, 0, n);
    } catch (FrameException e) {
      close(CloseReason.of(e.reason()), e.detail());
      return Future.failedFuture(e);
    }
  }

  public Future<Void> send(byte[] plaintext) {
    return send(plaintext, 0, plaintext.length);
  }

  public boolean writeQueueFull() {
    return socket.writeQueueFull();
  }

  /**
   * Bytes the socket may hold unwritten before {@link #writeQueueFull()} turns true; the drain
   * handler runs once it is back under half of that. A small value keeps a scheduler's choices
   * close to the wire.
   */
  public void setWriteQueueMaxSize(int bytes) {
    socket.setWriteQueueMaxSize(bytes);
  }

  /**
   * Sealed bytes handed to the socket that Netty has not yet passed to the kernel (its outbound
   * buffer): what an urgent frame written now would wait behind inside this process.
   */
  long bytesAwaitingKernel() {
    var buffer = VertxInternals.channel(socket).unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  public void drainHandler(Handler<Void> handler) {
    socket.drainHandler(handler);
  }

  /** Stops reading from the socket (receive backpressure); TCP then pushes back on the peer. */
  public void pause() {
    pausedByListener = true;
    socket.pause();
  }

  public void resume() {
    pausedByListener = false;
    if (!closed) {
      socket.resume();
    }
  }

  /**
   * Closes once; later calls do nothing. Pending writes get up to {@link #LINGER_MS} to leave; what
   * a peer that does not read leaves unsent then is dropped, so the socket is always freed.
   */
  public void close(CloseReason reason, String detail) {
    if (closed) {
      return;
    }
    closed(reason, detail);
    hangUp();
  }

  private void hangUp() {
    socket.close();
    context.owner().setTimer(LINGER_MS, id -> VertxInternals.closeNow(socket));
  }

  /**
   * Closes after a GOODBYE this node has just sent: frames stop being handled at once, but the
   * socket keeps being read (and dropped) until the peer hangs up or {@link #LINGER_MS} passes.
   * Hanging up at once makes the kernel answer the peer's frames still in flight with a reset,
   * which can destroy the GOODBYE unread on the peer's side, so the peer never learns why.
   */
  public void closeAfterGoodbye(CloseReason reason, String detail) {
    if (closed) {
      return;
    }
    closed(reason, detail);
    stash = Buffer.buffer();
    long timer = context.owner().setTimer(LINGER_MS, id -> hangUp());
    socket.closeHandler(v -> context.owner().cancelTimer(timer));
    socket.resume();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Whether the peer hung up before {@link #start}; on the connection's context (tests). */
  boolean remoteClosedBeforeStart() {
    return remoteClosedBeforeStart;
  }

  public String remoteId() {
    return session.remoteId();
  }

  public NodeMetadata remoteMetadata() {
    return session.remoteMetadata();
  }

  /** The protocol version and capabilities both sides agreed on in the handshake. */
  public SecureSession session() {
    return session;
  }

  /** The socket's event-loop context: every method must be called there. */
  public Context context() {
    return context;
  }

  public SocketAddress remoteAddress() {
    return socket.remoteAddress();
  }

  /** True when this side dialed (Noise initiator); false for an accepted connection. */
  public boolean outbound() {
    return initiator;
  }

  /** Reads a socket chunk in place when it is backed by an array (Vert.x hands heap buffers). */
  private void feed(Buffer chunk) {
    ByteBuf buf = VertxInternals.byteBuf(chunk);
    if (buf != null && buf.hasArray()) {
      feed(buf.array(), buf.arrayOffset() + buf.readerIndex(), buf.readableBytes());
    } else {
      byte[] bytes = chunk.getBytes();
      feed(bytes, 0, bytes.length);
    }
  }

  private void feed(byte[] bytes, int offset, int length) {
    if (closed) {
      return;
    }
    try {
      decoder.feed(bytes, offset, length);
    } catch (FrameException e) {
      close(CloseReason.of(e.reason()), e.detail());
    } catch (RuntimeException e) {
      log.warn("frame handling for {} failed", shortId(), e);
      close(CloseReason.INTERNAL_ERROR, e.toString());
    }
  }

  private void deliver(byte[] plaintext, int offset, int length) {
    if (!closed && listener != null) {
      listener.onFrame(plaintext, offset, length);
    }
  }

  private void closed(CloseReason reason, String detail) {
    if (closed) {
      return;
    }
    closed = true;
    closeReason = reason;
    closeDetail = detail;
    log.info(
        "connection {} {} {} closed: {} ({})",
        initiator ? "to" : "from",
        shortId(),
        socket.remoteAddress(),
        reason,
        detail);
    if (listener != null) {
      listener.onClosed(reason, detail);
    }
  }

  private String shortId() {
    return PeerId.shortForm(session.remoteId());
  }
}
