package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.crypto.ClusterCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The event bus's TLS with {@link ClusterTrust}: a member of the CA gets in, another CA's does not. */
class ClusterTrustTlsTest {

  @TempDir
  Path dir;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aMemberOfTheCaConnectsAndAnotherCasMemberDoesNot() throws Exception {
    ClusterCertificates.Issued ca = ClusterCertificates.newAuthority("cluster-ca", Duration.ofDays(1));
    ClusterCertificates.Issued other = ClusterCertificates.newAuthority("other-ca", Duration.ofDays(1));
    Path caPem = Files.writeString(dir.resolve("ca.pem"), ca.certificatePem());
    Path otherPem = Files.writeString(dir.resolve("other.pem"), other.certificatePem());
    PemKeyCertOptions node = member(ca, "node");
    NetServer server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
        .setKeyCertOptions(node).setTrustOptions(ClusterTrust.options(caPem)).setClientAuth(ClientAuth.REQUIRED))
        .connectHandler(socket -> socket.handler(socket::write));
    int port = server.listen().await(10, TimeUnit.SECONDS).actualPort();

    assertThat(echo(client(member(ca, "app"), caPem), port)).isEqualTo("ping");
    assertThat(echoFails(client(member(other, "intruder"), otherPem), port)).isTrue();
    assertThat(echoFails(client(member(other, "intruder"), caPem), port)).isTrue();
  }

  private PemKeyCertOptions member(ClusterCertificates.Issued ca, String name) throws Exception {
    ClusterCertificates.Issued member = ClusterCertificates.issueMember(ca, name, Duration.ofDays(1));
    Path key = Files.writeString(dir.resolve(name + "-" + System.nanoTime() + ".key"), member.keyPem());
    Path cert = Files.writeString(dir.resolve(name + "-" + System.nanoTime() + ".pem"), member.certificatePem());
    return new PemKeyCertOptions().setKeyPath(key.toString()).setCertPath(cert.toString());
  }

  private NetClient client(PemKeyCertOptions own, Path trusted) {
    return vertx.createNetClient(new NetClientOptions().setSsl(true).setHostnameVerificationAlgorithm("")
        .setKeyCertOptions(own).setTrustOptions(new PemTrustOptions().addCertPath(trusted.toString())));
  }

  private static String echo(NetClient client, int port) throws Exception {
    NetSocket socket = client.connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
    io.vertx.core.Promise<Buffer> answer = io.vertx.core.Promise.promise();
    socket.handler(answer::tryComplete);
    socket.closeHandler(v -> answer.tryFail("closed"));
    socket.write("ping");
    return answer.future().await(10, TimeUnit.SECONDS).toString();
  }

  private static boolean echoFails(NetClient client, int port) {
    try {
      echo(client, port);
      return false;
    } catch (Exception e) {
      return true;
    }
  }
}
