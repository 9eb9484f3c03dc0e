package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import network.canopy.p2p.crypto.ClusterCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A cluster member refused by cluster TLS is logged once, however often it (or the node) retries. */
class ClusterRefusalLogTest {

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeEach
  void capture() {
    lines.start();
    logger(ClusterTrust.class).addAppender(lines);
    logger(ClusterConnectFailureFilter.class).addAppender(lines);
  }

  @AfterEach
  void release() {
    logger(ClusterTrust.class).detachAppender(lines);
    logger(ClusterConnectFailureFilter.class).detachAppender(lines);
  }

  @Test
  void aMemberWithAnotherCasCertificateIsRefusedEveryTimeAndLoggedOnce() throws Exception {
    ClusterCertificates.Issued ca = ClusterCertificates.newAuthority("cluster-ca", Duration.ofDays(1));
    ClusterCertificates.Issued other = ClusterCertificates.newAuthority("other-ca", Duration.ofDays(1));
    Path caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
    ClusterTrust trust = new ClusterTrust(ClusterTrust.caTrustManager(caPem));
    X509Certificate[] member = {ClusterCertificates.issueMember(ca, "app", Duration.ofDays(1)).certificate()};
    X509Certificate[] intruder = {ClusterCertificates.issueMember(other, "intruder", Duration.ofDays(1)).certificate()};

    trust.checkClientTrusted(member, "ECDHE_ECDSA", (javax.net.ssl.SSLEngine) null);
    for (int i = 0; i < 5; i++) {
      assertThatThrownBy(() -> trust.checkClientTrusted(intruder, "ECDHE_ECDSA", (javax.net.ssl.SSLEngine) null))
          .isInstanceOf(CertificateException.class);
      assertThatThrownBy(() -> trust.checkServerTrusted(intruder, "ECDHE_ECDSA", (javax.net.ssl.SSLEngine) null))
          .isInstanceOf(CertificateException.class);
    }

    List<String> logged = messages();
    assertThat(logged).hasSize(1);
    assertThat(logged.get(0)).contains("refused an event-bus connection", "intruder", "other-ca");
  }

  @Test
  void vertxsLinePerFailedConnectionBecomesOneLinePerMemberAndFailure() {
    ClusterConnectFailureFilter filter = new ClusterConnectFailureFilter();
    ch.qos.logback.classic.Logger vertx = logger(ClusterConnectFailureFilter.SOURCE);
    Exception cause = new RuntimeException("connect failed", new SSLHandshakeException("unknown_ca"));
    for (int i = 0; i < 5; i++) {
      for (String member : List.of("member-1", "member-2")) {
        assertThat(filter.decide(null, vertx, Level.WARN, "Connecting to server " + member + " failed", null, cause))
            .isEqualTo(FilterReply.DENY);
      }
    }
    ch.qos.logback.classic.Logger connections = logger(ClusterConnectFailureFilter.TLS_SOURCE);
    String refused = "javax.net.ssl.SSLHandshakeException: (certificate_unknown) Received fatal alert: certificate_unknown";
    for (int i = 0; i < 5; i++) {
      assertThat(filter.decide(null, connections, Level.ERROR, refused, null, null)).isEqualTo(FilterReply.DENY);
    }
    assertThat(filter.decide(null, vertx, Level.WARN, "Cluster connection closed for server x", null, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(filter.decide(null, connections, Level.ERROR, "java.io.IOException: Connection reset", null, null))
        .isEqualTo(FilterReply.NEUTRAL);
    assertThat(messages()).containsExactly(
        "cluster: Connecting to server member-1 failed: javax.net.ssl.SSLHandshakeException: unknown_ca (logged once per member)",
        "cluster: Connecting to server member-2 failed: javax.net.ssl.SSLHandshakeException: unknown_ca (logged once per member)",
        "cluster: a TLS handshake failed: " + refused + " (each distinct failure logged once)");
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
