package network.canopy.p2p.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cluster-cert}: one CA reused across runs, members it signed, keys owner-only, nothing
 * overwritten.
 */
class ClusterCertCommandTest {

  @TempDir Path dir;

  @Test
  void membersAreSignedByOneCaKeptAcrossRuns() throws Exception {
    assertThat(
            KeyCommandsTest.run(
                    "cluster-cert", "--dir", dir.toString(), "--member", "node", "--member", "app")
                .code())
        .isZero();
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca.pem"));
    KeyCommandsTest.Result later =
        KeyCommandsTest.run("cluster-cert", "--dir", dir.toString(), "--member", "app2");
    assertThat(later.code()).isZero();
    assertThat(later.out()).contains("using the CA in");
    assertThat(Files.readAllBytes(dir.resolve("ca.pem"))).isEqualTo(caBefore);

    X509Certificate ca = cert(dir.resolve("ca.pem"));
    for (String member : new String[] {"node", "app", "app2"}) {
      X509Certificate cert = cert(dir.resolve(member + ".pem"));
      cert.verify(ca.getPublicKey());
      assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=" + member);
      assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
      assertThat(Files.readString(dir.resolve(member + ".key")))
          .startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(
              PosixFilePermissions.toString(
                  Files.getPosixFilePermissions(dir.resolve(member + ".key"))))
          .isEqualTo("rw-------");
    }
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void anExistingMemberIsNeverOverwrittenAndBadNamesAreRefused() throws Exception {
    assertThat(
            KeyCommandsTest.run("cluster-cert", "--dir", dir.toString(), "--member", "node").code())
        .isZero();
    byte[] before = Files.readAllBytes(dir.resolve("node.key"));
    KeyCommandsTest.Result again =
        KeyCommandsTest.run("cluster-cert", "--dir", dir.toString(), "--member", "node");
    assertThat(again.code()).isNotZero();
    assertThat(again.err()).contains("node.key exists");
    assertThat(Files.readAllBytes(dir.resolve("node.key"))).isEqualTo(before);

    KeyCommandsTest.Result bad =
        KeyCommandsTest.run("cluster-cert", "--dir", dir.toString(), "--member", "../x");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(Files.exists(dir.resolveSibling("x.key"))).isFalse();
  }

  private static X509Certificate cert(Path file) throws Exception {
    return (X509Certificate)
        CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
  }
}
