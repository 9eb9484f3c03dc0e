package network.canopy.p2p.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What re-keying the JDK's ChaCha20-Poly1305 with a new nonce costs, the price a frame pays for the
 * JCE API (a nonce can only change through {@code Cipher.init}): one reused Cipher, as ChaChaPoly
 * keeps, against a fresh {@code Cipher.getInstance} per frame. Compare with FrameCodecBench.seal.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CipherInitBench {
  private SecretKeySpec key;
  private Cipher reused;
  private final byte[] nonce = new byte[12];
  private long counter;

  @Setup
  public void setUp() throws GeneralSecurityException {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    key = new SecretKeySpec(raw, "ChaCha20");
    reused = Cipher.getInstance("ChaCha20-Poly1305");
  }

  private IvParameterSpec nextNonce() {
    long v = ++counter;
    for (int i = 4; i < 12; i++) {
      nonce[i] = (byte) v;
      v >>>= 8;
    }
    return new IvParameterSpec(nonce);
  }

  @Benchmark
  public Cipher initReused() throws GeneralSecurityException {
    reused.init(Cipher.ENCRYPT_MODE, key, nextNonce());
    return reused;
  }

  @Benchmark
  public Cipher initFresh() throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
    cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
    return cipher;
  }
}
