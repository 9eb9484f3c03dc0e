package network.canopy.p2p.wire;

import java.util.Objects;

/** A frame's packets break docs/PROTOCOL.md §8–10; {@link #reason()} names the rule. */
public final class PacketException extends Exception {
  private static final long serialVersionUID = 1L;

  private final PacketError reason;
  private final String detail;

  public PacketException(PacketError reason, String message) {
    super(reason + ": " + message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = message;
  }

  public PacketError reason() {
    return reason;
  }

  /** What went wrong, without the reason's name (a close reason and a GOODBYE name it already). */
  public String detail() {
    return detail;
  }
}
