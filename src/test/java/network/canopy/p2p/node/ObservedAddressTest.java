package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.ControlMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reachability (docs/PROTOCOL.md §17.5): a node behind a "translated" address learns it from peers
 * that report where they see it, once peers of enough distinct groups agree; one lying peer, or
 * many ids from one group, cannot move it. The peers ({@link AddrPeer}) are written from
 * PROTOCOL.md and send a fixed OBSERVED_ADDRESS.
 */
class ObservedAddressTest {

  private static final String TRANSLATED = "127.0.0.77";

  @TempDir Path root;

  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  @Test
  void aNodeAdoptsTheAddressPeersOfDistinctGroupsAgreeOnAndNoSingleLiarMovesIt() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of("p2p.observedAddressQuorum", "2", "p2p.maxPerIp", "16")));
      String port = nodes.listenAddress("a").split(":")[1];

      AddrPeer first = AddrPeer.connect(client, nodes, "a", "127.0.0.1:9001");
      ControlMessage.ObservedAddress told = first.observed().poll(10, TimeUnit.SECONDS);
      assertThat(told).as("the node tells each addr/1 peer where it sees it").isNotNull();
      assertThat(InetAddress.getByAddress(told.ip()).getHostAddress()).isEqualTo("127.0.0.1");
      AddressRecord before = first.ownRecordAt("127.0.0.1");
      assertThat(before).as("and sends its own signed record").isNotNull();
      assertThat(before.port()).isEqualTo(Integer.parseInt(port));

      first.report(TRANSLATED);
      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9001")
          .report(TRANSLATED); // another id, the same group
      assertThat(nodes.status("a").getValue("external"))
          .as("one group is not enough, however many ids")
          .isNull();

      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9002").report(TRANSLATED);
      JsonObject status = nodes.status("a");
      assertThat(status.getString("external"))
          .as("two groups agree")
          .isEqualTo(TRANSLATED + ":" + port);
      assertThat(status.getString("externalSource")).isEqualTo("observed");
      assertThat(status.getString("listen")).isEqualTo("127.0.0.1:" + port);
      AddressRecord adopted = first.ownRecordAt(TRANSLATED);
      assertThat(adopted).as("connected peers get the re-signed record").isNotNull();
      assertThat(adopted.verifies()).isTrue();
      assertThat(adopted.port())
          .as("the listening port, not an observed source port")
          .isEqualTo(Integer.parseInt(port));

      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9003").report("127.0.0.99");
      assertThat(nodes.status("a").getString("external"))
          .as("a single liar does not move it")
          .isEqualTo(TRANSLATED + ":" + port);
      AddrPeer later = AddrPeer.connect(client, nodes, "a", "127.0.0.1:9004");
      assertThat(later.conn().remoteMetadata().listenAddress())
          .as("new handshakes advertise it")
          .isEqualTo(TRANSLATED + ":" + port);
    }
  }

  @Test
  void aConfiguredExternalAddressIsNeverReplacedByObservations() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      nodes.start(
          nodes.config(
              root.resolve("a"),
              "a",
              Map.of(
                  "p2p.observedAddressQuorum",
                  "2",
                  "p2p.maxPerIp",
                  "16",
                  "p2p.external",
                  "127.0.0.5:7000")));
      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9001").report(TRANSLATED);
      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9002").report(TRANSLATED);
      AddrPeer.connect(client, nodes, "a", "127.0.0.1:9003").report(TRANSLATED);
      assertThat(nodes.status("a").getString("external")).isEqualTo("127.0.0.5:7000");
      assertThat(nodes.status("a").getString("externalSource")).isEqualTo("config");
    }
  }
}
