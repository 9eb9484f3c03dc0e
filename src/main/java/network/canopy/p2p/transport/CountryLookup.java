package network.canopy.p2p.transport;

import com.maxmind.db.CHMCache;
import com.maxmind.db.MaxMindDbParameter;
import com.maxmind.db.Reader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IP → ISO country code from an MMDB country database (record field {@code country_code}), held
 * wholly in memory so lookups never touch the disk. Opening reads the whole file: do it off the
 * event loop. Thread-safe.
 */
public final class CountryLookup implements AutoCloseable {

  /** Class-path location of the bundled database (see NOTICE for its licence). */
  public static final String BUNDLED = "/geoip/geo-whois-asn-country.mmdb";

  private static final Logger log = LoggerFactory.getLogger(CountryLookup.class);

  /** The one field read from each record; the database may hold more. */
  public record CountryRecord(@MaxMindDbParameter(name = "country_code") String countryCode) {}

  private final Reader reader;
  private final String source;
  private final boolean ipv4Only;
  private final AtomicBoolean warned = new AtomicBoolean();

  private CountryLookup(Reader reader, String source) {
    this.reader = reader;
    this.source = source;
    this.ipv4Only = reader.getMetadata().ipVersion() == 4;
  }

  /** The database at {@code file} when given, else the bundled one. Blocking. */
  public static CountryLookup open(Optional<Path> file) {
    return file.map(CountryLookup::open).orElseGet(CountryLookup::bundled);
  }

  /**
   * Reads the database at {@code file} into memory. Blocking.
   *
   * @throws IllegalArgumentException naming the path when it is missing, unreadable or not an MMDB
   */
  public static CountryLookup open(Path file) {
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException(
          "GeoIP database "
              + file
              + " (p2p.geoipDatabase) "
              + (Files.exists(file) ? "is not a readable file" : "does not exist"));
    }
    try {
      // A small node cache: a country database has only a few hundred distinct records.
      return new CountryLookup(
          new Reader(file.toFile(), Reader.FileMode.MEMORY, new CHMCache()), file.toString());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "GeoIP database "
              + file
              + " (p2p.geoipDatabase) cannot be read as an MMDB file: "
              + e.getMessage(),
          e);
    }
  }

  /** Reads the database shipped in the jar into memory. Blocking. */
  public static CountryLookup bundled() {
    try (InputStream in = CountryLookup.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException(
            "bundled GeoIP database " + BUNDLED + " is missing from the class path");
      }
      return new CountryLookup(new Reader(in, new CHMCache()), "bundled " + BUNDLED);
    } catch (IOException e) {
      throw new UncheckedIOException("bundled GeoIP database " + BUNDLED + " cannot be read", e);
    }
  }

  /**
   * The upper-case country code the database gives for {@code address}; empty when it has none
   * (private ranges, an IPv6 address in an IPv4-only database) or the lookup fails.
   */
  public Optional<String> country(InetAddress address) {
    InetAddress ip = IpBlocklist.canonical(address);
    if (ipv4Only && ip.getAddress().length == 16) {
      return Optional.empty();
    }
    try {
      CountryRecord record = reader.get(ip, CountryRecord.class);
      String code = record == null ? null : record.countryCode();
      return code == null || code.isEmpty()
          ? Optional.empty()
          : Optional.of(code.toUpperCase(Locale.ROOT));
    } catch (IOException | RuntimeException e) {
      // A damaged database must not take the listener down: admit, and say so once.
      if (warned.compareAndSet(false, true)) {
        log.warn(
            "GeoIP lookup in {} failed ({}); such addresses are not country-filtered",
            source,
            e.toString());
      }
      return Optional.empty();
    }
  }

  /** Where the database came from, for logs. */
  public String source() {
    return source;
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      log.debug("closing GeoIP database {}: {}", source, e.toString());
    }
  }
}
