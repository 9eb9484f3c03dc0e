package network.canopy.p2p.wire;

import java.util.Objects;
import network.canopy.p2p.crypto.BadTagException;
import network.canopy.p2p.crypto.CipherState;
import network.canopy.p2p.crypto.NonceExhaustedException;

/**
 * Turns a received byte stream, cut into arbitrary chunks, back into decrypted frame plaintexts
 * (format: see {@link FrameEncoder}), delivered in order to a {@link FrameListener}.
 *
 * <p>Memory: it never holds more than one maximal frame of unconsumed input (2 + max bytes, {@link
 * #bufferedBytes()}), in one buffer that grows to the largest frame seen. A frame wholly inside a
 * chunk is decrypted straight from the chunk without being copied first.
 *
 * <p>Errors: a length field below 16, a length above the configured maximum, or a frame that fails
 * authentication makes {@link #feed} throw {@link FrameException} with a {@link FrameError}. From
 * then on the decoder is failed for good and ignores further input, since the stream can no longer
 * be trusted or even framed. A truncated stream simply never emits its last frame.
 *
 * <p>Not thread-safe and not re-entrant: the listener must not call {@link #feed}.
 */
public final class FrameDecoder {
  /**
   * Receives each frame's plaintext. The array is the decoder's own buffer and is overwritten by
   * the next frame: copy what must outlive the call.
   */
  @FunctionalInterface
  public interface FrameListener {
    void onFrame(byte[] plaintext, int offset, int length);
  }

  private final CipherState receive;
  private final int maxCiphertext;
  private final FrameListener listener;
  private final byte[] header = new byte[WireLimits.LENGTH_PREFIX];
  private int headerFilled;

  /** Ciphertext length of the frame being read, or -1 while its length prefix is incomplete. */
  private int frameLength = -1;

  private byte[] buffer = new byte[0];
  private int bufferFilled;
  private FrameError failure;
  private boolean feeding;

  /** A decoder accepting frames up to the protocol maximum of 65535 ciphertext bytes. */
  public FrameDecoder(CipherState receive, FrameListener listener) {
    this(receive, WireLimits.MAX_FRAME_CIPHERTEXT, listener);
  }

  /**
   * @param maxCiphertext largest accepted length field, 16..65535. A u16 cannot state more than
   *     65535, so at the default this limit never fires; a smaller value lets a peer that agreed to
   *     smaller frames be held to it.
   */
  public FrameDecoder(CipherState receive, int maxCiphertext, FrameListener listener) {
    this.receive = Objects.requireNonNull(receive, "receive");
    this.listener = Objects.requireNonNull(listener, "listener");
    if (!receive.hasKey()) {
      throw new IllegalArgumentException("frame decoder needs a keyed cipher state");
    }
    if (maxCiphertext < WireLimits.MIN_FRAME_CIPHERTEXT
        || maxCiphertext > WireLimits.MAX_FRAME_CIPHERTEXT) {
      throw new IllegalArgumentException(
          "maximum frame ciphertext "
              + maxCiphertext
              + " is outside "
              + WireLimits.MIN_FRAME_CIPHERTEXT
              + ".."
              + WireLimits.MAX_FRAME_CIPHERTEXT);
    }
    this.maxCiphertext = maxCiphertext;
  }

  /** Feeds a whole chunk; see {@link #feed(byte[], int, int)}. */
  public void feed(byte[] chunk) throws FrameException {
    feed(chunk, 0, chunk.length);
  }

  /**
   * Consumes {@code length} bytes of the stream, emitting every frame they complete. Does nothing
   * once the decoder has failed. If the listener throws, that exception propagates, the rest of the
   * chunk is dropped and the decoder is failed with {@link FrameError#LISTENER_FAILED}.
   */
  public void feed(byte[] chunk, int offset, int length) throws FrameException {
    Objects.checkFromIndexSize(offset, length, chunk.length);
    if (failure != null) {
      return;
    }
    if (feeding) {
      throw new IllegalStateException("FrameDecoder.feed called from its own listener");
    }
    feeding = true;
    try {
      int position = offset;
      int end = offset + length;
      while (position < end && failure == null) {
        position =
            frameLength < 0 ? readHeader(chunk, position, end) : readBody(chunk, position, end);
      }
    } finally {
      feeding = false;
    }
  }

  /** Bytes held that belong to a frame not yet complete; at most 2 + the configured maximum. */
  public int bufferedBytes() {
    return (frameLength < 0 ? headerFilled : WireLimits.LENGTH_PREFIX) + bufferFilled;
  }

  public boolean isFailed() {
    return failure != null;
  }

  /** The reason the decoder failed, or null while it is healthy. */
  public FrameError failure() {
    return failure;
  }

  private int readHeader(byte[] chunk, int position, int end) throws FrameException {
    int length;
    if (headerFilled == 0 && end - position >= WireLimits.LENGTH_PREFIX) {
      length = ((chunk[position] & 0xff) << 8) | (chunk[position + 1] & 0xff);
      position += WireLimits.LENGTH_PREFIX;
    } else {
      header[headerFilled++] = chunk[position++];
      if (headerFilled < WireLimits.LENGTH_PREFIX) {
        return position;
      }
      length = ((header[0] & 0xff) << 8) | (header[1] & 0xff);
      headerFilled = 0;
    }
    if (length < WireLimits.MIN_FRAME_CIPHERTEXT) {
      throw fail(
          FrameError.TOO_SHORT,
          "frame length " + length + " is shorter than the " + WireLimits.TAG_LENGTH + "-byte tag");
    }
    if (length > maxCiphertext) {
      throw fail(
          FrameError.TOO_LONG, "frame length " + length + " exceeds the maximum " + maxCiphertext);
    }
    frameLength = length;
    return position;
  }

  private int readBody(byte[] chunk, int position, int end) throws FrameException {
    int available = end - position;
    if (bufferFilled == 0 && available >= frameLength) {
      int length = frameLength;
      emit(chunk, position, length);
      return position + length;
    }
    if (buffer.length < frameLength) {
      // Grow to the frame, doubling to avoid creeping, but never past the configured maximum.
      buffer = new byte[Math.min(maxCiphertext, Math.max(frameLength, 2 * buffer.length))];
    }
    int n = Math.min(available, frameLength - bufferFilled);
    System.arraycopy(chunk, position, buffer, bufferFilled, n);
    bufferFilled += n;
    if (bufferFilled == frameLength) {
      emit(buffer, 0, frameLength);
    }
    return position + n;
  }

  /** Decrypts one complete frame into the buffer (in place when it is already there). */
  private void emit(byte[] source, int offset, int length) throws FrameException {
    frameLength = -1;
    bufferFilled = 0;
    if (source != buffer && buffer.length < length) {
      buffer = new byte[Math.min(maxCiphertext, Math.max(length, 2 * buffer.length))];
    }
    int plaintextLength;
    try {
      plaintextLength = receive.decryptWithAd(null, source, offset, length, buffer, 0);
    } catch (BadTagException e) {
      throw fail(FrameError.BAD_TAG, "frame failed authentication", e);
    } catch (NonceExhaustedException e) {
      throw fail(FrameError.NONCE_EXHAUSTED, e.getMessage(), e);
    }
    try {
      listener.onFrame(buffer, 0, plaintextLength);
    } catch (RuntimeException | Error e) {
      failure = FrameError.LISTENER_FAILED;
      throw e;
    }
  }

  private FrameException fail(FrameError reason, String message) {
    return fail(reason, message, null);
  }

  private FrameException fail(FrameError reason, String message, Throwable cause) {
    failure = reason;
    frameLength = -1;
    headerFilled = 0;
    bufferFilled = 0;
    return new FrameException(reason, message, cause);
  }
}
