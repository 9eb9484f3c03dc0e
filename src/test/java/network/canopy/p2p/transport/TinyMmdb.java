package network.canopy.p2p.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a minimal MaxMind DB (format 2.0, IPv4 tree, 24-bit records) mapping one IPv4 network to
 * {@code {"country_code": CC}}, so tests can ban a country for 127.0.0.1, which no real database
 * places anywhere. Layout: search tree, 16 zero bytes, data section, metadata marker, metadata map.
 */
final class TinyMmdb {

  private static final byte[] METADATA_MARKER = {
    (byte) 0xAB, (byte) 0xCD, (byte) 0xEF, 'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'
  };

  private TinyMmdb() {}

  /**
   * Writes the database for {@code network}/{@code prefix} → {@code countryCode} to {@code file}.
   */
  static Path write(Path file, byte[] network, int prefix, String countryCode) throws Exception {
    Files.write(file, build(network, prefix, countryCode));
    return file;
  }

  static byte[] build(byte[] network, int prefix, String countryCode) {
    if (network.length != 4 || prefix < 1 || prefix > 32) {
      throw new IllegalArgumentException("one IPv4 network with a prefix of 1..32 bits");
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeTree(out, network, prefix);
    out.writeBytes(new byte[16]);
    // The data section holds one map at offset 0.
    out.write(0xE1);
    string(out, "country_code");
    string(out, countryCode);
    out.writeBytes(METADATA_MARKER);
    writeMetadata(out, prefix);
    return out.toByteArray();
  }

  /**
   * One node per bit of the prefix: the record on the network's side leads one level down (or, at
   * the last bit, to the data); the other record is {@code nodeCount}, meaning "no data".
   */
  private static void writeTree(ByteArrayOutputStream out, byte[] network, int prefix) {
    int nodeCount = prefix;
    int dataPointer = nodeCount + 16; // + offset 0 in the data section
    for (int depth = 0; depth < prefix; depth++) {
      int bit = (network[depth / 8] >> (7 - depth % 8)) & 1;
      int onPath = depth == prefix - 1 ? dataPointer : depth + 1;
      record24(out, bit == 0 ? onPath : nodeCount);
      record24(out, bit == 1 ? onPath : nodeCount);
    }
  }

  private static void writeMetadata(ByteArrayOutputStream out, int nodeCount) {
    out.write(0xE9); // map, 9 entries
    string(out, "binary_format_major_version");
    uint(out, 5, 2);
    string(out, "binary_format_minor_version");
    uint(out, 5, 0);
    string(out, "build_epoch");
    uint(out, 9, 1_700_000_000L);
    string(out, "database_type");
    string(out, "Canopy-Test-Country");
    string(out, "description");
    out.write(0xE1);
    string(out, "en");
    string(out, "test database");
    string(out, "ip_version");
    uint(out, 5, 4);
    string(out, "languages");
    out.write(0x01); // array (extended type 11), 1 element
    out.write(11 - 7);
    string(out, "en");
    string(out, "node_count");
    uint(out, 6, nodeCount);
    string(out, "record_size");
    uint(out, 5, 24);
  }

  private static void record24(ByteArrayOutputStream out, int value) {
    out.write(value >>> 16);
    out.write(value >>> 8);
    out.write(value);
  }

  /** A UTF-8 string shorter than 29 bytes (its length fits the control byte). */
  private static void string(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= 29) {
      throw new IllegalArgumentException("string too long for this writer: " + s);
    }
    out.write((2 << 5) | bytes.length);
    out.writeBytes(bytes);
  }

  /** An unsigned integer of type 5 (uint16), 6 (uint32) or 9 (uint64, extended), minimal bytes. */
  private static void uint(ByteArrayOutputStream out, int type, long value) {
    int size = 0;
    while (size < 8 && (value >>> (8 * size)) != 0) {
      size++;
    }
    if (type <= 7) {
      out.write((type << 5) | size);
    } else {
      out.write(size);
      out.write(type - 7);
    }
    for (int i = size - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }
}
