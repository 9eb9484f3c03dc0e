package network.canopy.p2p.transport;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The inbound counters every listener instance of one node shares: open connections per remote IP
 * and handshakes in progress. Thread-safe: instances run on different event loops.
 */
public final class ConnectionLimits {

  private final int maxPerIp;
  private final int maxPendingHandshakes;
  private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
  private final AtomicInteger pending = new AtomicInteger();

  /** {@code maxPerIp} 0 refuses every inbound connection, as the key's text says. */
  public ConnectionLimits(int maxPerIp, int maxPendingHandshakes) {
    if (maxPerIp < 0 || maxPendingHandshakes < 0) {
      throw new IllegalArgumentException("limits must be >= 0: maxPerIp=" + maxPerIp
          + " maxPendingHandshakes=" + maxPendingHandshakes);
    }
    this.maxPerIp = maxPerIp;
    this.maxPendingHandshakes = maxPendingHandshakes;
  }

  /** Takes one of {@code ip}'s connection slots; false (and nothing taken) when all are in use. */
  boolean tryOpen(InetAddress ip) {
    boolean[] taken = {false};
    perIp.compute(ip, (k, n) -> {
      int open = n == null ? 0 : n;
      if (open >= maxPerIp) {
        return n;
      }
      taken[0] = true;
      return open + 1;
    });
    return taken[0];
  }

  /** Gives back a slot taken by {@link #tryOpen}; the entry goes once its count is zero. */
  void closed(InetAddress ip) {
    perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
  }

  boolean tryStartHandshake() {
    if (pending.incrementAndGet() > maxPendingHandshakes) {
      pending.decrementAndGet();
      return false;
    }
    return true;
  }

  void handshakeFinished() {
    pending.decrementAndGet();
  }

  /** Inbound connections from {@code ip} open now (accepted, not yet closed). */
  public int openFrom(InetAddress ip) {
    return perIp.getOrDefault(IpBlocklist.canonical(ip), 0);
  }

  /** Distinct remote IPs with an open inbound connection. */
  public int remoteIps() {
    return perIp.size();
  }

  public int pendingHandshakes() {
    return pending.get();
  }
}
