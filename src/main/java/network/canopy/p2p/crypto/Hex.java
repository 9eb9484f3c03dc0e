package network.canopy.p2p.crypto;

/** Lowercase hexadecimal encoding and strict decoding of byte arrays (keys, ids, test vectors). */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Encodes {@code bytes} as lowercase hex, two characters per byte. */
  public static String encode(byte[] bytes) {
    return encode(bytes, 0, bytes.length);
  }

  /** Encodes {@code length} bytes of {@code bytes} from {@code offset} as lowercase hex. */
  public static String encode(byte[] bytes, int offset, int length) {
    char[] out = new char[length * 2];
    for (int i = 0; i < length; i++) {
      int b = bytes[offset + i] & 0xff;
      out[2 * i] = DIGITS[b >>> 4];
      out[2 * i + 1] = DIGITS[b & 0x0f];
    }
    return new String(out);
  }

  /**
   * Decodes hex (either case accepted) into bytes.
   *
   * @throws IllegalArgumentException on an odd length or a character that is not a hex digit
   */
  public static byte[] decode(CharSequence hex) {
    int length = hex.length();
    if ((length & 1) != 0) {
      throw new IllegalArgumentException("hex string has odd length " + length);
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) ((digit(hex, 2 * i) << 4) | digit(hex, 2 * i + 1));
    }
    return out;
  }

  private static int digit(CharSequence hex, int index) {
    char c = hex.charAt(index);
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    throw new IllegalArgumentException("not a hex digit at index " + index + ": '" + c + "'");
  }
}
