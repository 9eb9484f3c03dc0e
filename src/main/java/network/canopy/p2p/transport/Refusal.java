package network.canopy.p2p.transport;

/** Why an inbound connection was closed before its handshake; {@link #reason()} tags the metric. */
public enum Refusal {
  BANNED_IP("banned_ip"),
  BANNED_COUNTRY("banned_country"),
  MAX_PER_IP("max_per_ip"),
  MAX_PER_SUBNET("max_per_subnet"),
  PENDING_PER_GROUP("pending_per_group"),
  PENDING_HANDSHAKES("pending_handshakes");

  private final String reason;

  Refusal(String reason) {
    this.reason = reason;
  }

  /** The {@code reason} tag of {@code p2p_accept_refused_total}. */
  public String reason() {
    return reason;
  }
}
