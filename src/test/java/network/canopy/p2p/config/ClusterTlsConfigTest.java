package network.canopy.p2p.config;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import network.canopy.p2p.crypto.ClusterCertificates;
import network.canopy.p2p.crypto.ClusterCertificates.Issued;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cluster.tls: nested keys from file, env and --set; an incomplete or mismatched setup is one line
 * per problem.
 */
class ClusterTlsConfigTest {

  @TempDir Path dir;

  static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, SECONDS);
  }

  private static NodeConfig load(ConfigSource source) throws Exception {
    return ConfigLoader.load(vertx, source)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, SECONDS);
  }

  private static List<String> problems(ConfigSource source) throws Exception {
    try {
      throw new AssertionError("expected a ConfigException, got " + load(source));
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(ConfigException.class);
      return ((ConfigException) e.getCause()).problems();
    }
  }

  private ConfigSource source(Path file, Map<String, String> env, Map<String, String> overrides) {
    return new ConfigSource(file, true, env, overrides);
  }

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, text);
    return f;
  }

  private Path write(String name, String pem) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, pem);
    return f;
  }

  @Test
  void enabledWithoutFilesNamesEachMissingKey() throws Exception {
    List<String> problems =
        problems(
            source(
                yaml("cluster:\n  tls:\n    enabled: true\n"),
                Map.of(),
                Map.of("cluster.enabled", "true")));
    assertThat(problems)
        .containsExactly(
            "cluster.tls.key: required when cluster.tls.enabled is true (PEM file of this member's private key)",
            "cluster.tls.certificate: required when cluster.tls.enabled is true (PEM file of this member's certificate)",
            "cluster.tls.ca: required when cluster.tls.enabled is true "
                + "(PEM file of the CA certificate every member's certificate is signed by)");
  }

  @Test
  void tlsWithoutClusterIsNotChecked() throws Exception {
    NodeConfig c =
        load(
            source(
                yaml("cluster:\n  tls:\n    enabled: true\n    key: /nowhere\n"),
                Map.of(),
                Map.of()));
    assertThat(c.cluster().tlsOn()).isFalse();
  }

  @Test
  void validFilesFromEnvAndSetAreLoaded() throws Exception {
    Issued ca = ClusterCertificates.newAuthority("test CA", Duration.ofDays(1));
    Issued member = ClusterCertificates.issueMember(ca, "node", Duration.ofDays(1));
    Path caFile = write("ca.pem", ca.certificatePem());
    Path cert = write("node.pem", member.certificatePem());
    Path key = write("node.key", member.keyPem());
    NodeConfig c =
        load(
            source(
                yaml("cluster:\n  enabled: true\n"),
                Map.of("P2P_CLUSTER_TLS_ENABLED", "true", "P2P_CLUSTER_TLS_CA", caFile.toString()),
                Map.of(
                    "cluster.tls.key",
                    key.toString(),
                    "cluster.tls.certificate",
                    cert.toString())));
    assertThat(c.cluster().tlsOn()).isTrue();
    assertThat(c.cluster().tls()).isEqualTo(new ClusterTlsConfig(true, key, cert, caFile));
    assertThat(ConfigParser.parse(c.toJson())).isEqualTo(c);
  }

  @Test
  void missingUnreadableForeignAndMismatchedFilesAreEachOneLine() throws Exception {
    Issued ca = ClusterCertificates.newAuthority("test CA", Duration.ofDays(1));
    Issued otherCa = ClusterCertificates.newAuthority("other CA", Duration.ofDays(1));
    Issued foreign = ClusterCertificates.issueMember(otherCa, "intruder", Duration.ofDays(1));
    Issued member = ClusterCertificates.issueMember(ca, "node", Duration.ofDays(1));
    Path caFile = write("ca.pem", ca.certificatePem());
    Path foreignCert = write("foreign.pem", foreign.certificatePem());
    Path ownKey = write("node.key", member.keyPem());
    String yaml =
        "cluster:\n  enabled: true\n  tls:\n    enabled: true\n    key: "
            + ownKey
            + "\n    certificate: "
            + foreignCert
            + "\n    ca: "
            + caFile
            + "\n";
    assertThat(problems(source(yaml(yaml), Map.of(), Map.of())))
        .containsExactly(
            "cluster.tls.certificate: "
                + foreignCert
                + ": not signed by the CA in cluster.tls.ca (CN=test CA)",
            "cluster.tls.key: "
                + ownKey
                + ": not the private key of the certificate in cluster.tls.certificate");

    Path garbage = write("garbage.pem", "not a certificate\n");
    Map<String, String> broken =
        Map.of(
            "cluster.tls.ca",
            dir.resolve("absent.pem").toString(),
            "cluster.tls.certificate",
            garbage.toString(),
            "cluster.tls.key",
            garbage.toString());
    assertThat(problems(source(yaml(yaml), Map.of(), broken)))
        .containsExactly(
            "cluster.tls.ca: " + dir.resolve("absent.pem") + ": file not found",
            "cluster.tls.certificate: " + garbage + ": not a PEM X.509 certificate",
            "cluster.tls.key: "
                + garbage
                + ": not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, PKCS#8)");
  }

  @Test
  void unknownAndFlatTlsKeysAreReported() throws Exception {
    List<String> problems =
        problems(
            source(
                yaml(
                    "cluster:\n  tls:\n    enabeld: true\n  tls.ca: x\ncluster.tls:\n  enabled: true\n"),
                Map.of(),
                Map.of()));
    assertThat(problems)
        .containsExactly(
            "cluster.tls.enabeld: unknown key (did you mean cluster.tls.enabled?)",
            "cluster.tls.ca: unknown key (write it nested: 'cluster:' then 'tls:' then 'ca:' indented below it)",
            "cluster.tls: unknown key (write it nested: 'cluster:' then 'tls:' indented below it)");
  }
}
