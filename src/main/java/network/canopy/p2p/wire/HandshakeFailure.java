package network.canopy.p2p.wire;

/** A refused handshake, with the reason the transport logs and counts. */
public final class HandshakeFailure extends Exception {

  private final HandshakeError reason;

  public HandshakeFailure(HandshakeError reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public HandshakeError reason() {
    return reason;
  }
}
