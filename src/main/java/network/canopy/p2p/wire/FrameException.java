package network.canopy.p2p.wire;

import java.util.Objects;

/** A frame could not be sealed or opened; {@link #reason()} says why in a form fit for metrics. */
public final class FrameException extends Exception {
  private static final long serialVersionUID = 1L;

  private final FrameError reason;
  private final String detail;

  public FrameException(FrameError reason, String message, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.detail = message;
  }

  public FrameException(FrameError reason, String message) {
    this(reason, message, null);
  }

  public FrameError reason() {
    return reason;
  }

  /** What went wrong, without the reason's name (a close reason and a GOODBYE name it already). */
  public String detail() {
    return detail;
  }
}
