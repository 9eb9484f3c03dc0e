package network.canopy.p2p.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Logback filter (conf in logback.xml): Vert.x warns with a stack trace every time it fails to
 * reach a cluster member — for every message sent to it — and logs an error for every TLS handshake
 * a member refuses, so a member shut out by cluster TLS would flood the log; this keeps one line
 * per member, and one per distinct TLS failure.
 */
public final class ClusterConnectFailureFilter extends TurboFilter {

  static final String SOURCE = "io.vertx.core.eventbus.impl.clustered.ClusteredEventBus";
  static final String PREFIX = "Connecting to server ";
  static final String TLS_SOURCE = "io.vertx.core.net.impl.ConnectionBase";

  /** Distinct lines logged; past it, failures are no longer logged. */
  static final int MAX_LOGGED = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ClusterConnectFailureFilter.class);

  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  @Override
  public FilterReply decide(
      Marker marker,
      ch.qos.logback.classic.Logger logger,
      Level level,
      String format,
      Object[] params,
      Throwable t) {
    // Called for every log statement of the process: the logger name decides before any scan.
    if (format == null) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    if (SOURCE.equals(name) && format.startsWith(PREFIX)) {
      if (firstTime(format)) {
        log.warn("cluster: {}: {} (logged once per member)", format, rootCause(t));
      }
      return FilterReply.DENY;
    }
    if (!TLS_SOURCE.equals(name)) {
      return FilterReply.NEUTRAL;
    }
    if (format.contains("NotSslRecordException")) {
      // The message quotes the bytes received, different every time: one line for them all.
      if (firstTime("NotSslRecordException")) {
        log.warn("cluster: refused a connection without TLS (logged once)");
      }
      return FilterReply.DENY;
    }
    if (format.contains("SSLHandshakeException")) {
      if (firstTime(format)) {
        log.warn("cluster: a TLS handshake failed: {} (each distinct failure logged once)", format);
      }
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }

  private boolean firstTime(String line) {
    return logged.size() < MAX_LOGGED && logged.add(line);
  }

  private static String rootCause(Throwable t) {
    if (t == null) {
      return "no cause given";
    }
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
