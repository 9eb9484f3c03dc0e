package network.canopy.p2p.peer;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import network.canopy.p2p.book.AddressScope;
import network.canopy.p2p.book.PeerBook;
import network.canopy.p2p.config.HostPort;
import network.canopy.p2p.config.IpLiterals;
import network.canopy.p2p.conn.CloseReason;
import network.canopy.p2p.conn.EncryptedConn;
import network.canopy.p2p.conn.Goodbyes;
import network.canopy.p2p.conn.MultiConn;
import network.canopy.p2p.crypto.PeerId;
import network.canopy.p2p.gossip.GossipPeer;
import network.canopy.p2p.reputation.ReputationEvent;
import network.canopy.p2p.wire.Capability;
import network.canopy.p2p.wire.ControlMessage;
import network.canopy.p2p.wire.PacketFormat;

/**
 * One admitted peer connection and the listener of its MultiConn. The PeerSet owns the record; the
 * MultiConn calls the listener on the connection's own event loop, which is why the fields read
 * from there are volatile.
 */
public final class ConnectedPeer implements MultiConn.Listener, GossipPeer {

  /** What the PeerSet needs to hear from a connection, on its own context. */
  interface Owner {
    void closed(ConnectedPeer peer, CloseReason reason, String detail);

    /** A peer-exchange (topic 255) message, on the connection's context. */
    void peerExchange(ConnectedPeer peer, Buffer payload);

    /**
     * The peer sees this node's side of the connection at {@code ip} (addr/1), on the connection's
     * context.
     */
    void observedAddress(ConnectedPeer peer, InetAddress ip);

    /** Thread-safe: the peer's conduct costs it reputation. */
    void report(String peerId, ReputationEvent event, String why);
  }

  final EncryptedConn encrypted;
  final String id;
  final boolean outbound;
  final long connectedSince = System.currentTimeMillis();
  private final TopicDelivery delivery;
  private final Owner owner;
  private volatile MultiConn conn;
  private volatile long rttNanos = -1;

  /**
   * When the last application message arrived (0: none yet); inbound eviction protects recent ones.
   */
  private volatile long lastMessageAt;

  ConnectedPeer(EncryptedConn encrypted, TopicDelivery delivery, Owner owner) {
    this.encrypted = encrypted;
    this.id = encrypted.remoteId();
    this.outbound = encrypted.outbound();
    this.delivery = delivery;
    this.owner = owner;
  }

  /**
   * Closes the connection on its own context with a GOODBYE saying why (a connection that never
   * started is refused the same way). Thread-safe.
   */
  void close(String why) {
    encrypted
        .context()
        .runOnContext(
            v -> {
              MultiConn started = conn();
              if (started != null) {
                started.close(CloseReason.LOCAL, why);
              } else {
                Goodbyes.refuse(encrypted, why);
              }
            });
  }

  /** Set once, on the connection's context, right after the MultiConn started. */
  void attach(MultiConn started) {
    this.conn = started;
  }

  /** The MultiConn, or null while it is starting. */
  public MultiConn conn() {
    return conn;
  }

  long rttNanos() {
    return rttNanos;
  }

  long lastMessageAt() {
    return lastMessageAt;
  }

  /** The network group (IPv4 /16, IPv6 /32) of the address the connection comes from. */
  String networkGroup() {
    try {
      return PeerBook.networkGroup(new HostPort(encrypted.remoteAddress().hostAddress(), 0));
    } catch (IllegalArgumentException e) {
      return "peer:" + id;
    }
  }

  /**
   * Where this peer can be dialled: the address we dialled, or for an inbound peer the IP it
   * connects from with the port it advertises (its advertised host is not trusted: a peer could
   * otherwise make the network dial anyone). Null when there is no usable port.
   */
  HostPort dialable() {
    SocketAddress remote = encrypted.remoteAddress();
    try {
      if (outbound) {
        return new HostPort(remote.hostAddress(), remote.port());
      }
      int port = HostPort.parse(encrypted.remoteMetadata().listenAddress()).port();
      return port == 0 ? null : new HostPort(remote.hostAddress(), port);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * The scope of the address the connection comes from; unknown counts as public (shares least).
   */
  AddressScope scope() {
    try {
      return AddressScope.of(new HostPort(encrypted.remoteAddress().hostAddress(), 0))
          .orElse(AddressScope.PUBLIC);
    } catch (IllegalArgumentException e) {
      return AddressScope.PUBLIC;
    }
  }

  /** The IP the connection comes from, or null when unknown. */
  InetAddress remoteIp() {
    return ipOf(encrypted);
  }

  static InetAddress ipOf(EncryptedConn conn) {
    SocketAddress remote = conn.remoteAddress();
    return remote == null || remote.hostAddress() == null
        ? null
        : IpLiterals.literal(remote.hostAddress());
  }

  /** True when the connection uses addr/1: signed address records and OBSERVED_ADDRESS. */
  boolean usesAddressRecords() {
    return encrypted.session().capabilities().contains(Capability.ADDR);
  }

  /**
   * Tells an addr/1 peer where its side of the connection comes from: the TCP peer address as this
   * node sees it (for a peer we dialled, the address we dialled).
   */
  void tellObservedAddress() {
    InetAddress ip = remoteIp();
    MultiConn c = conn;
    if (c != null && ip != null && encrypted.remoteAddress().port() > 0) {
      c.tellObservedAddress(
          new ControlMessage.ObservedAddress(ip.getAddress(), encrypted.remoteAddress().port()));
    }
  }

  @Override
  public void onObservedAddress(ControlMessage.ObservedAddress observed) {
    try {
      owner.observedAddress(this, InetAddress.getByAddress(observed.ip()));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes are always an address", e);
    }
  }

  public String shortId() {
    return PeerId.shortForm(id);
  }

  @Override
  public boolean onMessage(int topicId, Buffer payload) {
    return onMessage(topicId, payload, false);
  }

  @Override
  public boolean onMessage(int topicId, Buffer payload, boolean direct) {
    if (topicId == PacketFormat.PEER_EXCHANGE_TOPIC) {
      owner.peerExchange(this, payload);
      return true;
    }
    lastMessageAt = System.currentTimeMillis();
    return delivery.deliver(this, topicId, payload, direct);
  }

  @Override
  public void onClosed(CloseReason reason, String detail) {
    owner.closed(this, reason, detail);
  }

  @Override
  public void onWindowExceeded(String detail) {
    owner.report(id, ReputationEvent.WINDOW_EXCEEDED, detail);
  }

  @Override
  public void onLazyPush(ControlMessage.LazyPush message) {
    delivery.lazyPush(this, message);
  }

  @Override
  public void onRtt(long nanos) {
    rttNanos = nanos;
  }
}
