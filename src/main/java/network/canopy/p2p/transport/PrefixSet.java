package network.canopy.p2p.transport;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Address prefixes of one family (32 or 128 bits), grouped by length: a lookup masks the address
 * once per distinct length and probes that length's hash set. Immutable, so safe to share.
 */
final class PrefixSet {

  /** An address masked to some length, as two big-endian longs (IPv4 uses only {@code lo}). */
  private record Key(long hi, long lo) {}

  private final int[] lengths;
  private final List<Set<Key>> sets;

  private PrefixSet(int[] lengths, List<Set<Key>> sets) {
    this.lengths = lengths;
    this.sets = sets;
  }

  boolean isEmpty() {
    return lengths.length == 0;
  }

  boolean contains(byte[] address) {
    long hi = high(address);
    long lo = low(address);
    for (int i = 0; i < lengths.length; i++) {
      if (sets.get(i).contains(masked(hi, lo, lengths[i], address.length))) {
        return true;
      }
    }
    return false;
  }

  private static long high(byte[] a) {
    return a.length == 16 ? bytes(a, 0, 8) : 0;
  }

  private static long low(byte[] a) {
    return a.length == 16 ? bytes(a, 8, 8) : bytes(a, 0, 4);
  }

  private static long bytes(byte[] a, int from, int count) {
    long v = 0;
    for (int i = from; i < from + count; i++) {
      v = (v << 8) | (a[i] & 0xffL);
    }
    return v;
  }

  /** Keeps the first {@code length} bits of the {@code width}-bit address (hi, lo). */
  private static Key masked(long hi, long lo, int length, int byteWidth) {
    if (byteWidth == 4) {
      long mask = length == 0 ? 0 : (0xffffffffL << (32 - length)) & 0xffffffffL;
      return new Key(0, lo & mask);
    }
    long hiMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    long loMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    return new Key(hi & hiMask, lo & loMask);
  }

  /** Collects prefixes, then freezes them into a {@link PrefixSet}. */
  static final class Builder {
    private final int width;
    private final TreeMap<Integer, Set<Key>> byLength = new TreeMap<>();

    Builder(int width) {
      this.width = width;
    }

    void add(byte[] address, int length) {
      if (address.length * 8 != width || length < 0 || length > width) {
        throw new IllegalArgumentException(
            "prefix /"
                + length
                + " of a "
                + address.length * 8
                + "-bit address in a "
                + width
                + "-bit set");
      }
      byLength
          .computeIfAbsent(length, l -> new HashSet<>())
          .add(masked(high(address), low(address), length, address.length));
    }

    PrefixSet build() {
      // Shortest first: broad bans (the likeliest to match) are probed before narrow ones.
      int[] lengths = byLength.keySet().stream().mapToInt(Integer::intValue).toArray();
      return new PrefixSet(lengths, new ArrayList<>(byLength.values()));
    }
  }
}
