package network.canopy.p2p.wire;

import java.util.Objects;

/** A frame's packets break docs/PROTOCOL.md §8–10; {@link #reason()} names the rule. */
public final class PacketException extends Exception {
  private static final long serialVersionUID = 1L;

  private final PacketError reason;

  public PacketException(PacketError reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PacketError reason() {
    return reason;
  }
}
