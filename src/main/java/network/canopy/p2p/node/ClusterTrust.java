package network.canopy.p2p.node;

import io.vertx.core.net.TrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the cluster CA on the event bus's TLS connections, and logs each refused member
 * certificate once: a member that retries for every message must not write a line each time.
 */
final class ClusterTrust extends X509ExtendedTrustManager {

  private static final Logger log = LoggerFactory.getLogger(ClusterTrust.class);
  /** Distinct refused certificates logged; past it, refusals go on but are no longer logged. */
  static final int MAX_LOGGED = 1_000;

  private final X509ExtendedTrustManager delegate;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  ClusterTrust(X509ExtendedTrustManager delegate) {
    this.delegate = delegate;
  }

  /** Trust options for the CA certificates in the PEM file {@code caPem}. */
  static TrustOptions options(Path caPem) throws IOException, GeneralSecurityException {
    return TrustOptions.wrap(new ClusterTrust(caTrustManager(caPem)));
  }

  static X509ExtendedTrustManager caTrustManager(Path caPem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      int i = 0;
      for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("cluster-ca-" + i++, ca);
      }
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509ExtendedTrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager for " + caPem);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkClientTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      refused("from", chain, engine, e);
      throw e;
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    try {
      delegate.checkServerTrusted(chain, authType, engine);
    } catch (CertificateException e) {
      refused("to", chain, engine, e);
      throw e;
    }
  }

  private void refused(String direction, X509Certificate[] chain, SSLEngine engine, CertificateException e) {
    String who = chain == null || chain.length == 0 ? "no certificate"
        : "certificate '" + chain[0].getSubjectX500Principal().getName() + "' issued by '"
            + chain[0].getIssuerX500Principal().getName() + "'";
    String key = who + (chain == null || chain.length == 0 ? "" : " #" + chain[0].getSerialNumber());
    if (logged.size() >= MAX_LOGGED || !logged.add(key)) {
      return;
    }
    String peer = engine == null ? "?" : engine.getPeerHost() + ":" + engine.getPeerPort();
    log.warn("cluster: refused an event-bus connection {} {} with {}: {} (logged once per certificate)",
        direction, peer, who, e.getMessage());
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }
}
