package network.canopy.p2p.bench;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import network.canopy.p2p.crypto.BadTagException;
import network.canopy.p2p.crypto.ChaChaPoly;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The node's ChaChaPoly (JDK ChaCha20 stream + own Poly1305) against the JDK's ChaCha20-Poly1305,
 * both with one reused Cipher re-initialised per message, sealing and opening one frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {
  @Param({"64", "1024", "65519"})
  public int size;

  private final byte[] nonce = new byte[12];
  private long counter;
  private byte[] plaintext;
  private byte[] out;
  private byte[] sealedOurs;
  private byte[] sealedJdk;
  private byte[] fixedNonce;
  private ChaChaPoly ours;
  private Cipher jdk;
  private SecretKeySpec key;

  @Setup
  public void setUp() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    key = new SecretKeySpec(raw, "ChaCha20");
    plaintext = new byte[size];
    random.nextBytes(plaintext);
    out = new byte[size + 16];
    ours = new ChaChaPoly(raw);
    jdk = Cipher.getInstance("ChaCha20-Poly1305");
    fixedNonce = new byte[12];
    fixedNonce[0] = 1;
    sealedOurs = new ChaChaPoly(raw).seal(fixedNonce, null, plaintext);
    sealedJdk = sealedOurs.clone();
  }

  private byte[] nextNonce() {
    long v = ++counter;
    for (int i = 4; i < 12; i++) {
      nonce[i] = (byte) v;
      v >>>= 8;
    }
    return nonce;
  }

  @Benchmark
  public int sealOurs() {
    return ours.seal(nextNonce(), null, plaintext, 0, size, out, 0) + out[size];
  }

  @Benchmark
  public int sealJdk() throws GeneralSecurityException {
    jdk.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nextNonce()));
    return jdk.doFinal(plaintext, 0, size, out, 0) + out[size];
  }

  @Benchmark
  public int openOurs() throws BadTagException {
    return ours.open(fixedNonce, null, sealedOurs, 0, sealedOurs.length, out, 0) + out[0];
  }

  @Benchmark
  public int openJdk() throws GeneralSecurityException {
    jdk.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(fixedNonce));
    return jdk.doFinal(sealedJdk, 0, sealedJdk.length, out, 0) + out[0];
  }
}
