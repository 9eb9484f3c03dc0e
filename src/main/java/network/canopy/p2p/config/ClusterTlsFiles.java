package network.canopy.p2p.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code cluster.tls} PEM files before the clustered event bus starts, so a missing file,
 * a key that does not belong to the certificate or a certificate another CA signed is one {@code
 * config error} line at startup rather than a member no one can talk to. Blocking file I/O: call it
 * off the event loop.
 */
final class ClusterTlsFiles {
  private static final Pattern PKCS8 =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private ClusterTlsFiles() {}

  static void check(ClusterTlsConfig tls, Problems problems) {
    String caKey = ConfigKey.CLUSTER_TLS_CA.key();
    String certificateKey = ConfigKey.CLUSTER_TLS_CERTIFICATE.key();
    X509Certificate ca = certificate(tls.ca(), caKey, problems);
    X509Certificate own = certificate(tls.certificate(), certificateKey, problems);
    PrivateKey key = privateKey(tls.key(), ConfigKey.CLUSTER_TLS_KEY.key(), problems);
    if (ca != null && own != null && !signedBy(own, ca)) {
      problems.add(
          certificateKey,
          tls.certificate()
              + ": not signed by the CA in "
              + caKey
              + " ("
              + ca.getSubjectX500Principal().getName()
              + ")");
    }
    if (own != null && key != null && !belongTogether(key, own)) {
      problems.add(
          ConfigKey.CLUSTER_TLS_KEY.key(),
          tls.key() + ": not the private key of the certificate in " + certificateKey);
    }
  }

  private static X509Certificate certificate(Path path, String key, Problems problems) {
    byte[] bytes = read(path, key, problems);
    if (bytes == null) {
      return null;
    }
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(bytes));
      cert.checkValidity();
      return cert;
    } catch (CertificateExpiredException | CertificateNotYetValidException e) {
      problems.add(key, path + ": certificate not valid now (" + e.getMessage() + ")");
    } catch (CertificateException | ClassCastException e) {
      problems.add(key, path + ": not a PEM X.509 certificate");
    }
    return null;
  }

  /** The unencrypted PKCS#8 form ({@code BEGIN PRIVATE KEY}) that cluster-cert writes. */
  private static PrivateKey privateKey(Path path, String key, Problems problems) {
    byte[] bytes = read(path, key, problems);
    if (bytes == null) {
      return null;
    }
    Matcher pem = PKCS8.matcher(new String(bytes, StandardCharsets.US_ASCII));
    if (pem.find()) {
      byte[] der = Base64.getMimeDecoder().decode(pem.group(1));
      for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
        try {
          return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          // try the next algorithm
        }
      }
    }
    problems.add(
        key, path + ": not an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----, PKCS#8)");
    return null;
  }

  private static byte[] read(Path path, String key, Problems problems) {
    if (path == null) {
      return null; // reported by the parser when required
    }
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      problems.add(key, path + ": file not found");
    } catch (AccessDeniedException e) {
      problems.add(key, path + ": permission denied");
    } catch (IOException e) {
      problems.add(key, path + ": cannot read (" + e.getMessage() + ")");
    }
    return null;
  }

  private static boolean signedBy(X509Certificate cert, X509Certificate ca) {
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean belongTogether(PrivateKey key, X509Certificate cert) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "EC" -> "SHA256withECDSA";
          case "RSA" -> "SHA256withRSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "cluster.tls key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
