package network.canopy.p2p.bench;

import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.crypto.CipherState;
import network.canopy.p2p.wire.FrameDecoder;
import network.canopy.p2p.wire.FrameEncoder;
import network.canopy.p2p.wire.FrameException;
import network.canopy.p2p.wire.WireLimits;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Throughput of the frame codec on one thread: sealing a plaintext into a frame, and sealing then
 * opening it through {@link FrameDecoder}. 65519 bytes is the largest plaintext a frame carries (64
 * KiB less the tag and the u16 limit); 64 bytes shows the fixed cost per frame (Cipher.init and the
 * Poly1305 key). Run with scripts/jmh.sh.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBench {
  @Param({"64", "1024", "65519"})
  public int size;

  private byte[] plaintext;
  private byte[] frame;
  private FrameEncoder encoder;
  private FrameEncoder sealOnlyEncoder;
  private FrameDecoder decoder;
  private long received;

  @Setup
  public void setUp() {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[32];
    random.nextBytes(key);
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    frame = new byte[WireLimits.MAX_FRAME_BYTES];
    encoder = new FrameEncoder(new CipherState(key));
    sealOnlyEncoder = new FrameEncoder(new CipherState(key));
    // The listener reads the plaintext so the decryption cannot be optimised away.
    decoder =
        new FrameDecoder(
            new CipherState(key),
            (bytes, offset, length) -> received += length + bytes[offset + length - 1]);
  }

  @Benchmark
  public int seal() throws FrameException {
    int n = sealOnlyEncoder.seal(plaintext, 0, size, frame, 0);
    return n + frame[n - 1];
  }

  @Benchmark
  public long sealAndOpen() throws FrameException {
    int n = encoder.seal(plaintext, 0, size, frame, 0);
    decoder.feed(frame, 0, n);
    return received;
  }
}
