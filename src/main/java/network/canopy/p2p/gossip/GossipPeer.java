package network.canopy.p2p.gossip;

import network.canopy.p2p.conn.MultiConn;

/**
 * What the router needs of a connected peer: its connection (null until started) and a short id for
 * log lines. The PeerSet's own peer record implements it, so gossip need not know the PeerSet.
 */
public interface GossipPeer {

  /** The started connection, or null while the peer is not started yet. */
  MultiConn conn();

  /** The first characters of the peer's id, for logs. */
  String shortId();
}
