package network.canopy.p2p.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the clustered event bus's mutual TLS: one CA and member
 * certificates it signs (ECDSA P-256, usable as TLS client and server), as PEM text. Meant for
 * tests and small deployments; a larger one would use its own PKI.
 */
public final class ClusterCertificates {
  private static final Pattern PEM_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ClusterCertificates() {}

  /** A key pair and the certificate for it, as PEM text (private key in unencrypted PKCS#8). */
  public record Issued(X509Certificate certificate, PrivateKey key) {
    public String certificatePem() {
      try {
        return pem("CERTIFICATE", certificate.getEncoded());
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("cannot encode certificate", e);
      }
    }

    public String keyPem() {
      return pem("PRIVATE KEY", key.getEncoded());
    }
  }

  /** A self-signed CA certificate named {@code CN=<name>}. */
  public static Issued newAuthority(String name, Duration validity) {
    KeyPair pair = newKeyPair();
    X500Principal subject = new X500Principal("CN=" + name);
    return sign(subject, pair, subject, pair.getPrivate(), validity, true);
  }

  /**
   * A member certificate {@code CN=<name>} signed by {@code ca}, for both ends of a TLS connection.
   */
  public static Issued issueMember(Issued ca, String name, Duration validity) {
    return sign(
        new X500Principal("CN=" + name),
        newKeyPair(),
        ca.certificate().getSubjectX500Principal(),
        ca.key(),
        validity,
        false);
  }

  /** Reads back what {@link Issued#certificatePem()} and {@link Issued#keyPem()} wrote. */
  public static Issued read(String certificatePem, String keyPem) {
    Matcher key = PEM_KEY.matcher(keyPem);
    if (!key.find()) {
      throw new IllegalArgumentException("no -----BEGIN PRIVATE KEY----- block");
    }
    try {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(certificatePem.getBytes(StandardCharsets.US_ASCII)));
      PrivateKey privateKey =
          KeyFactory.getInstance("EC")
              .generatePrivate(
                  new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(key.group(1))));
      return new Issued(cert, privateKey);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read the CA: " + e.getMessage(), e);
    }
  }

  private static Issued sign(
      X500Principal subject,
      KeyPair pair,
      X500Principal issuer,
      PrivateKey issuerKey,
      Duration validity,
      boolean authority) {
    Instant now = Instant.now();
    try {
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              issuer,
              new BigInteger(127, RANDOM).add(BigInteger.ONE),
              Date.from(
                  now.minus(
                      Duration.ofMinutes(5))), // tolerate small clock differences between members
              Date.from(now.plus(validity)),
              subject,
              pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
      if (authority) {
        builder.addExtension(
            Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      } else {
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        builder.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(
                new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      }
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
      return new Issued(cert, pair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
      throw new IllegalStateException("cannot issue a certificate for " + subject.getName(), e);
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no EC P-256 key generator", e);
    }
  }

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
