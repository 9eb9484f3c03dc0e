package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A cluster member refused by cluster TLS is logged once, however often it (or the node) retries.
 */
class ClusterRefusalLogTest {

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger(ClusterConnectFailureFilter.class).addAppender(lines);
  }

  @AfterEach
  void release() {
    logger(ClusterConnectFailureFilter.class).detachAppender(lines);
  }

  @Test
  void vertxsLinePerFailedConnectionBecomesOneLinePerMemberAndFailure() {
    ClusterConnectFailureFilter filter = new ClusterConnectFailureFilter();
    ch.qos.logback.classic.Logger vertx = logger(ClusterConnectFailureFilter.SOURCE);
    Exception cause =
        new RuntimeException("connect failed", new SSLHandshakeException("unknown_ca"));
    for (int i = 0; i < 5; i++) {
      for (String member : List.of("member-1", "member-2")) {
        assertThat(
                filter.decide(
                    null,
                    vertx,
                    Level.WARN,
                    "Connecting to server " + member + " failed",
                    null,
                    cause))
            .isEqualTo(FilterReply.DENY);
      }
    }
    ch.qos.logback.classic.Logger connections = logger(ClusterConnectFailureFilter.TLS_SOURCE);
    String refused =
        "javax.net.ssl.SSLHandshakeException: (certificate_unknown) Received fatal alert: certificate_unknown";
    for (int i = 0; i < 5; i++) {
      assertThat(filter.decide(null, connections, Level.ERROR, refused, null, null))
          .isEqualTo(FilterReply.DENY);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(
              filter.decide(
                  null,
                  connections,
                  Level.ERROR,
                  "io.netty.handler.ssl.NotSslRecordException: not an SSL/TLS record: 0000002a0"
                      + i,
                  null,
                  null))
          .isEqualTo(FilterReply.DENY);
    }
    assertThat(
            filter.decide(
                null, vertx, Level.WARN, "Cluster connection closed for server x", null, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(
            filter.decide(
                null,
                connections,
                Level.ERROR,
                "java.io.IOException: Connection reset",
                null,
                null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(messages())
        .containsExactly(
            "cluster: Connecting to server member-1 failed: javax.net.ssl.SSLHandshakeException: unknown_ca (logged once per member)",
            "cluster: Connecting to server member-2 failed: javax.net.ssl.SSLHandshakeException: unknown_ca (logged once per member)",
            "cluster: a TLS handshake failed: " + refused + " (each distinct failure logged once)",
            "cluster: refused a connection without TLS (logged once)");
  }

  private List<String> messages() {
    return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static ch.qos.logback.classic.Logger logger(Class<?> type) {
    return logger(type.getName());
  }

  private static ch.qos.logback.classic.Logger logger(String name) {
    return (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(name);
  }
}
