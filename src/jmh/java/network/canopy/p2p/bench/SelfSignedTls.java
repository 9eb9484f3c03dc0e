package network.canopy.p2p.bench;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyStoreOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The TLS 1.3 baseline's settings: a self-signed ECDSA P-256 certificate for 127.0.0.1 made in
 * memory at start (nothing on disk), JDK SSLEngine, TLS_CHACHA20_POLY1305_SHA256 only.
 */
final class SelfSignedTls {

  static final String PROTOCOL = "TLSv1.3";
  static final String CIPHER_SUITE = "TLS_CHACHA20_POLY1305_SHA256";
  private static final String PASSWORD = "bench";

  private final Buffer keyStore;
  private final Buffer trustStore;

  private SelfSignedTls(Buffer keyStore, Buffer trustStore) {
    this.keyStore = keyStore;
    this.trustStore = trustStore;
  }

  /**
   * Pins the JDK's TLS to full handshakes with X25519 key exchange, as Noise does. Must run before
   * the first SSL class loads: the JDK reads these properties once.
   */
  static void configureJdk() {
    System.setProperty("jdk.tls.namedGroups", "x25519");
    // No session tickets from the server, hence nothing to resume: every handshake is full.
    // (With tickets the JDK client resumes: "Try resuming session" in javax.net.debug output.)
    System.setProperty("jdk.tls.server.newSessionTicketCount", "0");
  }

  static SelfSignedTls generate() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    X509Certificate cert = certificate(keys);

    KeyStore server = KeyStore.getInstance("PKCS12");
    server.load(null, null);
    server.setKeyEntry(
        "bench", keys.getPrivate(), PASSWORD.toCharArray(), new X509Certificate[] {cert});
    KeyStore client = KeyStore.getInstance("PKCS12");
    client.load(null, null);
    client.setCertificateEntry("bench", cert);
    return new SelfSignedTls(serialize(server), serialize(client));
  }

  private static final long HANDSHAKE_TIMEOUT_S = 60;

  NetServerOptions serverOptions() {
    NetServerOptions options =
        new NetServerOptions()
            .setSsl(true)
            .setKeyCertOptions(store(keyStore))
            .setSslEngineOptions(new JdkSSLEngineOptions())
            .setEnabledSecureTransportProtocols(Set.of(PROTOCOL))
            // A loaded 2-core machine can take longer than Vert.x's 10 s for a cold first
            // handshake.
            .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_S);
    options.addEnabledCipherSuite(CIPHER_SUITE);
    return options;
  }

  NetClientOptions clientOptions() {
    NetClientOptions options =
        new NetClientOptions()
            .setSsl(true)
            .setTrustOptions(store(trustStore))
            // The certificate names 127.0.0.1, so the client checks it as any HTTPS client would.
            .setHostnameVerificationAlgorithm("HTTPS")
            .setSslEngineOptions(new JdkSSLEngineOptions())
            .setEnabledSecureTransportProtocols(Set.of(PROTOCOL))
            // A loaded 2-core machine can take longer than Vert.x's 10 s for a cold first
            // handshake.
            .setSslHandshakeTimeout(HANDSHAKE_TIMEOUT_S);
    options.addEnabledCipherSuite(CIPHER_SUITE);
    return options;
  }

  private static KeyStoreOptions store(Buffer value) {
    return new KeyStoreOptions().setType("PKCS12").setValue(value).setPassword(PASSWORD);
  }

  private static X509Certificate certificate(KeyPair keys) throws Exception {
    X500Name name = new X500Name("CN=canopy-bench");
    Instant now = Instant.now();
    X509v3CertificateBuilder builder =
        new JcaX509v3CertificateBuilder(
            name,
            BigInteger.valueOf(now.toEpochMilli()),
            Date.from(now.minus(Duration.ofDays(1))),
            Date.from(now.plus(Duration.ofDays(1))),
            name,
            keys.getPublic());
    builder.addExtension(
        Extension.subjectAlternativeName,
        false,
        new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
  }

  private static Buffer serialize(KeyStore store) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.store(out, PASSWORD.toCharArray());
    return Buffer.buffer(out.toByteArray());
  }
}
