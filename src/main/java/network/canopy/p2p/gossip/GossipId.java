package network.canopy.p2p.gossip;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import network.canopy.p2p.conn.VertxInternals;
import network.canopy.p2p.crypto.Hex;

/**
 * A gossip message id (docs/PROTOCOL.md "Gossip"): SHA-256 over a domain tag, the topic name and
 * the payload's own SHA-256. Every node computes it from what it received, never from the wire, so
 * nobody can make a receiver believe a payload it has not seen is a duplicate.
 */
public record GossipId(byte[] id, byte[] payloadSha256) {

  /** Domain separation: these ids can never equal a SHA-256 taken for another purpose. */
  static final byte[] DOMAIN_TAG = "canopy/gossip/v1".getBytes(StandardCharsets.US_ASCII);

  /** The id of {@code payload} on {@code topicName}, with the payload's digest as a by-product. */
  public static GossipId of(String topicName, Buffer payload) {
    byte[] payloadDigest = sha256(payload);
    byte[] name = topicName.getBytes(StandardCharsets.UTF_8);
    MessageDigest digest = newDigest();
    digest.update(DOMAIN_TAG);
    digest.update((byte) name.length);
    digest.update(name);
    digest.update(payloadDigest);
    return new GossipId(digest.digest(), payloadDigest);
  }

  /** The id as lowercase hex: the {@code p2p-msg-id} header and the broadcast reply. */
  public String hex() {
    return Hex.encode(id);
  }

  public String payloadSha256Hex() {
    return Hex.encode(payloadSha256);
  }

  /** The id as a compact, hashable seen-cache key (four longs rather than a 64-char string). */
  SeenCache.Key key() {
    return SeenCache.Key.of(id);
  }

  public static byte[] sha256(Buffer payload) {
    MessageDigest digest = newDigest();
    ByteBuf buf = VertxInternals.byteBuf(payload);
    if (buf != null) { // hashed in place, read-only payloads (received ones) too: no copy
      digest.update(buf.nioBuffer());
    } else {
      digest.update(payload.getBytes());
    }
    return digest.digest();
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GossipId other && Arrays.equals(id, other.id);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(id);
  }

  @Override
  public String toString() {
    return "GossipId[" + hex() + "]";
  }
}
