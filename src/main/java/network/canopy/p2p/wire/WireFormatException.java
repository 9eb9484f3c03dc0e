package network.canopy.p2p.wire;

/** Bytes from the network that do not follow docs/PROTOCOL.md; the connection is closed. */
public final class WireFormatException extends Exception {

  public WireFormatException(String message) {
    super(message);
  }
}
