package network.canopy.p2p.transport;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import network.canopy.p2p.config.P2pConfig;

/**
 * Admission of an inbound connection before any crypto, cheapest check first: banned IP or CIDR,
 * banned country, connections per IP and per subnet, handshakes in progress per network group and
 * node-wide. One instance serves all of a node's listener instances; thread-safe.
 */
public final class InboundFilter implements AutoCloseable {

  private final IpBlocklist bannedIps;
  private final Set<String> bannedCountries;
  private final CountryLookup countries;
  private final ConnectionLimits limits;

  /** {@code countries} may be null only when {@code bannedCountries} is empty. */
  public InboundFilter(
      IpBlocklist bannedIps,
      Set<String> bannedCountries,
      CountryLookup countries,
      ConnectionLimits limits) {
    if (!bannedCountries.isEmpty() && countries == null) {
      throw new IllegalArgumentException("banned countries need a country database");
    }
    this.bannedIps = bannedIps;
    this.bannedCountries = Set.copyOf(bannedCountries);
    this.countries = countries;
    this.limits = limits;
  }

  /**
   * Builds the filter of {@code p2p}; reads the GeoIP database only when countries are banned.
   * Blocking (that read): call it off the event loop.
   *
   * @throws IllegalArgumentException with a message naming the bad setting
   */
  public static InboundFilter fromConfig(P2pConfig p2p, int maxPendingHandshakes) {
    return fromConfig(p2p, maxPendingHandshakes, NetworkGroups.DEFAULT);
  }

  static InboundFilter fromConfig(P2pConfig p2p, int maxPendingHandshakes, NetworkGroups groups) {
    IpBlocklist ips = IpBlocklist.parse(p2p.bannedIps());
    List<String> banned = p2p.bannedCountries();
    CountryLookup lookup = banned.isEmpty() ? null : CountryLookup.open(p2p.geoipDatabase());
    return new InboundFilter(
        ips,
        Set.copyOf(banned),
        lookup,
        new ConnectionLimits(
            p2p.maxPerIp(),
            maxPendingHandshakes,
            p2p.maxPerSubnet(),
            p2p.maxPendingPerGroup(),
            groups));
  }

  /**
   * Empty when {@code remote} is admitted: it then holds one per-IP slot and one handshake slot,
   * given back by {@link #connectionClosed} and {@link #handshakeFinished}. Nothing is held after a
   * refusal.
   */
  public Optional<Refusal> admit(InetAddress remote) {
    InetAddress ip = IpBlocklist.canonical(remote);
    Optional<Refusal> banned = banned(ip);
    if (banned.isPresent()) {
      return banned;
    }
    if (!limits.tryOpen(ip)) {
      return Optional.of(Refusal.MAX_PER_IP);
    }
    if (!limits.tryOpenSubnet(ip)) {
      limits.closed(ip);
      return Optional.of(Refusal.MAX_PER_SUBNET);
    }
    if (!limits.tryStartHandshakeInGroup(ip)) {
      connectionClosed(ip);
      return Optional.of(Refusal.PENDING_PER_GROUP);
    }
    if (!limits.tryStartHandshake()) {
      limits.handshakeFinishedInGroup(ip);
      connectionClosed(ip);
      return Optional.of(Refusal.PENDING_HANDSHAKES);
    }
    return Optional.empty();
  }

  /**
   * Whether {@code address} is in a banned IP range or country: such peers are neither accepted nor
   * dialled (the dialer asks before connecting to an IP literal).
   */
  public Optional<Refusal> banned(InetAddress address) {
    InetAddress ip = IpBlocklist.canonical(address);
    if (bannedIps.banned(ip)) {
      return Optional.of(Refusal.BANNED_IP);
    }
    if (countries != null && countries.country(ip).filter(bannedCountries::contains).isPresent()) {
      return Optional.of(Refusal.BANNED_COUNTRY);
    }
    return Optional.empty();
  }

  /** The admitted connection from {@code remote} has closed, whatever became of it. */
  public void connectionClosed(InetAddress remote) {
    InetAddress ip = IpBlocklist.canonical(remote);
    limits.closed(ip);
    limits.closedSubnet(ip);
  }

  /**
   * The handshake of the connection admitted from {@code remote} has ended, in success or failure.
   */
  public void handshakeFinished(InetAddress remote) {
    limits.handshakeFinished();
    limits.handshakeFinishedInGroup(IpBlocklist.canonical(remote));
  }

  public ConnectionLimits limits() {
    return limits;
  }

  /** The country database in use, when countries are banned. */
  public Optional<CountryLookup> countries() {
    return Optional.ofNullable(countries);
  }

  @Override
  public void close() {
    if (countries != null) {
      countries.close();
    }
  }
}
