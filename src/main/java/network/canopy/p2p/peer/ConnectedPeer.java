package network.canopy.p2p.peer;

import io.vertx.core.buffer.Buffer;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.MultiConn;

/**
 * One admitted peer connection and the listener of its MultiConn. The PeerSet owns the record;
 * the MultiConn calls the listener on the connection's own event loop, which is why the fields
 * read from there are volatile.
 */
final class ConnectedPeer implements MultiConn.Listener {

  /** What the PeerSet needs to hear from a connection, on its own context. */
  interface Owner {
    void closed(ConnectedPeer peer, CloseReason reason, String detail);
  }

  final EncryptedConn encrypted;
  final String id;
  final boolean outbound;
  final long connectedSince = System.currentTimeMillis();
  private final TopicDelivery delivery;
  private final Owner owner;
  private volatile MultiConn conn;
  private volatile long rttNanos = -1;

  ConnectedPeer(EncryptedConn encrypted, TopicDelivery delivery, Owner owner) {
    this.encrypted = encrypted;
    this.id = encrypted.remoteId();
    this.outbound = encrypted.outbound();
    this.delivery = delivery;
    this.owner = owner;
  }

  /** Set once, on the connection's context, right after the MultiConn started. */
  void attach(MultiConn started) {
    this.conn = started;
  }

  /** The MultiConn, or null while it is starting. */
  MultiConn conn() {
    return conn;
  }

  long rttNanos() {
    return rttNanos;
  }

  String shortId() {
    return id.substring(0, 8);
  }

  @Override
  public boolean onMessage(int topicId, Buffer payload) {
    return delivery.deliver(this, topicId, payload);
  }

  @Override
  public void onClosed(CloseReason reason, String detail) {
    owner.closed(this, reason, detail);
  }

  @Override
  public void onRtt(long nanos) {
    rttNanos = nanos;
  }
}
