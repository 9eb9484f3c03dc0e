package network.canopy.p2p.crypto;

/**
 * Poly1305 (RFC 8439 §2.5) for the AEAD in {@link ChaChaPoly}, over whole 16-byte blocks only (the
 * AEAD zero-pads its inputs to blocks). The JDK's own Poly1305 runs as generic field arithmetic
 * unless the CPU has AVX-512 (docs/PERFORMANCE.md); this one is the "donna" layout (five 26-bit
 * limbs, 64-bit products), constant-time, and allocates nothing. Not thread-safe.
 */
final class Poly1305 {
  static final int KEY_LENGTH = 32;
  static final int BLOCK = 16;
  private static final long MASK26 = 0x3ffffff;
  private static final long HIBIT = 1L << 24;

  private long r0;
  private long r1;
  private long r2;
  private long r3;
  private long r4;
  private long s1;
  private long s2;
  private long s3;
  private long s4;
  private long h0;
  private long h1;
  private long h2;
  private long h3;
  private long h4;
  private long pad0;
  private long pad1;
  private long pad2;
  private long pad3;

  /** Starts a MAC with the 32-byte one-time key at {@code key[offset]} (r is clamped here). */
  void init(byte[] key, int offset) {
    r0 = le32(key, offset) & 0x3ffffff;
    r1 = (le32(key, offset + 3) >>> 2) & 0x3ffff03;
    r2 = (le32(key, offset + 6) >>> 4) & 0x3ffc0ff;
    r3 = (le32(key, offset + 9) >>> 6) & 0x3f03fff;
    r4 = (le32(key, offset + 12) >>> 8) & 0x00fffff;
    s1 = r1 * 5;
    s2 = r2 * 5;
    s3 = r3 * 5;
    s4 = r4 * 5;
    h0 = h1 = h2 = h3 = h4 = 0;
    pad0 = le32(key, offset + 16);
    pad1 = le32(key, offset + 20);
    pad2 = le32(key, offset + 24);
    pad3 = le32(key, offset + 28);
  }

  /** Absorbs {@code length} bytes, a multiple of 16, as full blocks. */
  void blocks(byte[] m, int offset, int length) {
    long a0 = h0;
    long a1 = h1;
    long a2 = h2;
    long a3 = h3;
    long a4 = h4;
    for (int end = offset + length; offset < end; offset += BLOCK) {
      long t0 = le32(m, offset);
      long t1 = le32(m, offset + 4);
      long t2 = le32(m, offset + 8);
      long t3 = le32(m, offset + 12);
      a0 += t0 & MASK26;
      a1 += ((t0 >>> 26) | (t1 << 6)) & MASK26;
      a2 += ((t1 >>> 20) | (t2 << 12)) & MASK26;
      a3 += ((t2 >>> 14) | (t3 << 18)) & MASK26;
      a4 += (t3 >>> 8) | HIBIT;
      long d0 = a0 * r0 + a1 * s4 + a2 * s3 + a3 * s2 + a4 * s1;
      long d1 = a0 * r1 + a1 * r0 + a2 * s4 + a3 * s3 + a4 * s2;
      long d2 = a0 * r2 + a1 * r1 + a2 * r0 + a3 * s4 + a4 * s3;
      long d3 = a0 * r3 + a1 * r2 + a2 * r1 + a3 * r0 + a4 * s4;
      long d4 = a0 * r4 + a1 * r3 + a2 * r2 + a3 * r1 + a4 * r0;
      long c = d0 >>> 26;
      a0 = d0 & MASK26;
      d1 += c;
      c = d1 >>> 26;
      a1 = d1 & MASK26;
      d2 += c;
      c = d2 >>> 26;
      a2 = d2 & MASK26;
      d3 += c;
      c = d3 >>> 26;
      a3 = d3 & MASK26;
      d4 += c;
      c = d4 >>> 26;
      a4 = d4 & MASK26;
      a0 += c * 5;
      c = a0 >>> 26;
      a0 &= MASK26;
      a1 += c;
    }
    h0 = a0;
    h1 = a1;
    h2 = a2;
    h3 = a3;
    h4 = a4;
  }

  /** Writes the 16-byte tag to {@code out[offset]}. */
  void finish(byte[] out, int offset) {
    long c = h1 >>> 26;
    h1 &= MASK26;
    h2 += c;
    c = h2 >>> 26;
    h2 &= MASK26;
    h3 += c;
    c = h3 >>> 26;
    h3 &= MASK26;
    h4 += c;
    c = h4 >>> 26;
    h4 &= MASK26;
    h0 += c * 5;
    c = h0 >>> 26;
    h0 &= MASK26;
    h1 += c;
    // g = h + 5 - 2^130; keep h when g is negative (h < p), else g: a mask, no branch.
    long g0 = h0 + 5;
    c = g0 >>> 26;
    g0 &= MASK26;
    long g1 = h1 + c;
    c = g1 >>> 26;
    g1 &= MASK26;
    long g2 = h2 + c;
    c = g2 >>> 26;
    g2 &= MASK26;
    long g3 = h3 + c;
    c = g3 >>> 26;
    g3 &= MASK26;
    long g4 = h4 + c - (1L << 26);
    long useG = (g4 >>> 63) - 1;
    long useH = ~useG;
    long f0 = (h0 & useH) | (g0 & useG);
    long f1 = (h1 & useH) | (g1 & useG);
    long f2 = (h2 & useH) | (g2 & useG);
    long f3 = (h3 & useH) | (g3 & useG);
    long f4 = (h4 & useH) | (g4 & useG);
    long w0 = (f0 | (f1 << 26)) & 0xffffffffL;
    long w1 = ((f1 >>> 6) | (f2 << 20)) & 0xffffffffL;
    long w2 = ((f2 >>> 12) | (f3 << 14)) & 0xffffffffL;
    long w3 = ((f3 >>> 18) | (f4 << 8)) & 0xffffffffL;
    long t = w0 + pad0;
    putLe32(out, offset, t);
    t = w1 + pad1 + (t >>> 32);
    putLe32(out, offset + 4, t);
    t = w2 + pad2 + (t >>> 32);
    putLe32(out, offset + 8, t);
    t = w3 + pad3 + (t >>> 32);
    putLe32(out, offset + 12, t);
  }

  private static long le32(byte[] b, int i) {
    return (b[i] & 0xffL)
        | (b[i + 1] & 0xffL) << 8
        | (b[i + 2] & 0xffL) << 16
        | (b[i + 3] & 0xffL) << 24;
  }

  private static void putLe32(byte[] b, int i, long v) {
    b[i] = (byte) v;
    b[i + 1] = (byte) (v >>> 8);
    b[i + 2] = (byte) (v >>> 16);
    b[i + 3] = (byte) (v >>> 24);
  }
}
