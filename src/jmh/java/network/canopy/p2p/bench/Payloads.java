package network.canopy.p2p.bench;

import io.vertx.core.buffer.Buffer;
import java.util.SplittableRandom;

/** Message bodies: random bytes, so nothing along the way can profit from repeated content. */
final class Payloads {

  private static final SplittableRandom RANDOM = new SplittableRandom(42);

  private Payloads() {}

  static synchronized Buffer random(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i += 8) {
      long value = RANDOM.nextLong();
      for (int j = 0; j < 8 && i + j < size; j++) {
        bytes[i + j] = (byte) (value >>> (8 * j));
      }
    }
    return Buffer.buffer(bytes);
  }
}
