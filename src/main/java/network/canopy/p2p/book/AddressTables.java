package network.canopy.p2p.book;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The bucket layout of the address manager (after Bitcoin Core's addrman; Heilman et al. 2015): a
 * "new" table of addresses heard of and a "tried" table of addresses this node dialled, each made
 * of buckets of {@link #BUCKET_SIZE} slots. Where an address may sit is a keyed hash of its network
 * group and the group of the peer that told us of it, under a per-node secret key, so an attacker
 * can neither aim at a bucket nor, from one source group, reach more than a few of them.
 */
final class AddressTables {

  static final int BUCKET_SIZE = 16;
  static final int KEY_BYTES = 32;

  /** A place in one of the tables. */
  record Slot(boolean tried, int bucket, int index) {}

  private final byte[] key;
  private final int newBuckets;
  private final int triedBuckets;

  /** How many new buckets the addresses told by one source group can reach. */
  private final int newBucketsPerSourceGroup;

  /** How many tried buckets the addresses of one group can reach. */
  private final int triedBucketsPerGroup;

  private final String[][] newTable;
  private final String[][] triedTable;

  /**
   * Sized for about {@code capacity} addresses: three quarters new, one quarter tried. One source
   * group reaches 1/16 of the new buckets, one address group 1/8 of the tried ones (at least one).
   */
  AddressTables(byte[] key, int capacity) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "the bucket key is " + KEY_BYTES + " bytes, got " + key.length);
    }
    this.key = key.clone();
    this.newBuckets = Math.max(1, ceilDiv(capacity * 3L / 4, BUCKET_SIZE));
    this.triedBuckets = Math.max(1, ceilDiv(capacity - capacity * 3L / 4, BUCKET_SIZE));
    this.newBucketsPerSourceGroup = Math.max(1, newBuckets / 16);
    this.triedBucketsPerGroup = Math.max(1, triedBuckets / 8);
    this.newTable = new String[newBuckets][BUCKET_SIZE];
    this.triedTable = new String[triedBuckets][BUCKET_SIZE];
  }

  static byte[] freshKey() {
    byte[] key = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(key);
    return key;
  }

  byte[] key() {
    return key.clone();
  }

  /**
   * The new-table slot for {@code address} (group {@code group}) told by a peer of {@code
   * sourceGroup}: a free slot of its bucket, else its keyed place there, whose holder it must
   * displace to get in.
   */
  Slot newSlot(String address, String group, String sourceGroup) {
    long which = hash("n1", group, sourceGroup) % newBucketsPerSourceGroup;
    int bucket = (int) (hash("n2", sourceGroup, Long.toString(which)) % newBuckets);
    return slotIn(
        false, bucket, (int) (hash("np", Integer.toString(bucket), address) % BUCKET_SIZE));
  }

  /**
   * The tried-table slot for {@code address} (group {@code group}), chosen as in {@link #newSlot}.
   */
  Slot triedSlot(String address, String group) {
    long which = hash("t1", address) % triedBucketsPerGroup;
    int bucket = (int) (hash("t2", group, Long.toString(which)) % triedBuckets);
    return slotIn(
        true, bucket, (int) (hash("tp", Integer.toString(bucket), address) % BUCKET_SIZE));
  }

  /**
   * The first free slot of the bucket from {@code place} on, or {@code place} itself when the
   * bucket is full.
   */
  private Slot slotIn(boolean tried, int bucket, int place) {
    String[] slots = (tried ? triedTable : newTable)[bucket];
    for (int i = 0; i < BUCKET_SIZE; i++) {
      int index = (place + i) % BUCKET_SIZE;
      if (slots[index] == null) {
        return new Slot(tried, bucket, index);
      }
    }
    return new Slot(tried, bucket, place);
  }

  /** The id in {@code slot}, or null. */
  String occupant(Slot slot) {
    return table(slot)[slot.bucket()][slot.index()];
  }

  void put(Slot slot, String id) {
    table(slot)[slot.bucket()][slot.index()] = id;
  }

  /** Empties {@code slot} if {@code id} holds it. */
  void clear(Slot slot, String id) {
    String[] bucket = table(slot)[slot.bucket()];
    if (id.equals(bucket[slot.index()])) {
      bucket[slot.index()] = null;
    }
  }

  int slots(boolean tried) {
    return (tried ? triedBuckets : newBuckets) * BUCKET_SIZE;
  }

  private String[][] table(Slot slot) {
    return slot.tried() ? triedTable : newTable;
  }

  /**
   * SHA-256 of the key and the parts (length-prefixed, so parts cannot run into each other), as a
   * non-negative long.
   */
  private long hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(key);
      for (String part : parts) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
      }
      return ByteBuffer.wrap(Arrays.copyOf(sha.digest(), 8)).getLong() & Long.MAX_VALUE;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static int ceilDiv(long a, int b) {
    return (int) ((a + b - 1) / b);
  }
}
