package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import network.canopy.p2p.config.Addresses;
import network.canopy.p2p.crypto.NodeIdentity;
import network.canopy.p2p.wire.AddressRecord;
import network.canopy.p2p.wire.PeerExchangeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signed address records (addr/1, docs/PROTOCOL.md §17) between real nodes on loopback: a node's
 * record reaches a node two hops away byte for byte, and a node configured without addr/1 (acting
 * as an older one) still exchanges addresses with nodes that have it, and a peer's own record
 * signed by another key costs it reputation.
 */
class AddressRecordsNodeTest {

  @TempDir Path root;

  /** Held in a field: Vert.x closes a NetClient (and its sockets) once it is garbage-collected. */
  private NetClient client;

  @Test
  void aRecordCrossesAChainOfThreeNodesUnchangedAndVerifies() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      for (String n : List.of("a", "b", "c")) {
        nodes.start(nodes.config(root.resolve(n), n, Map.of("p2p.maxPerIp", "16")));
      }
      dial(nodes, "b", "a");
      String aId = nodes.id("a");
      JsonObject atB = awaitRecord(nodes, "b", aId);
      dial(nodes, "c", "b");
      JsonObject atC = awaitRecord(nodes, "c", aId);

      assertThat(atC.getString("record"))
          .as("a's record at c, as b holds it")
          .isEqualTo(atB.getString("record"));
      AddressRecord record =
          AddressRecord.decode(Base64.getDecoder().decode(atC.getString("record")));
      assertThat(record.verifies()).isTrue();
      assertThat(HexFormat.of().formatHex(record.id())).isEqualTo(aId);
      assertThat("127.0.0.1:" + record.port())
          .as("the address a signed: its own")
          .isEqualTo(nodes.listenAddress("a"));
      assertThat(atC.getString("address")).isEqualTo(nodes.listenAddress("a"));
    }
  }

  @Test
  void aNodeWithoutAddr1AndNodesWithItStillExchangeAddresses() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      nodes.start(nodes.config(root.resolve("n1"), "n1", Map.of("p2p.maxPerIp", "16")));
      nodes.start(nodes.config(root.resolve("n2"), "n2", Map.of("p2p.maxPerIp", "16")));
      nodes.start(
          nodes.config(
              root.resolve("old"),
              "old",
              Map.of("p2p.maxPerIp", "16", "p2p.capabilities", "direct/1,window/1")));
      String n1 = nodes.id("n1");
      String n2 = nodes.id("n2");
      String old = nodes.id("old");
      dial(nodes, "n2", "n1");
      awaitRecord(nodes, "n2", n1);

      dial(nodes, "old", "n1"); // old asks n1: n1 answers it in the version-1 form
      JsonObject n2AtOld = awaitEntry(nodes, "old", n2);
      assertThat(n2AtOld.getString("source")).isEqualTo("exchange");
      assertThat(n2AtOld.getValue("record")).as("no records for a node without addr/1").isNull();

      dial(nodes, "n2", "old"); // n2 asks old, whose plain answer it takes
      DiscoveryTest.awaitAll(
          nodes, List.of("n2"), p -> entry(nodes, "n2", old).isPresent(), "n2 knows old");
      assertThat(entry(nodes, "n1", old).orElseThrow().getValue("record"))
          .as("old sent no record")
          .isNull();
      for (String n : List.of("n1", "n2", "old")) {
        for (Object p : nodes.get(nodes.adminPort(n), "/api/peers").bodyAsJsonArray()) {
          assertThat(((JsonObject) p).getDouble("reputation"))
              .as("%s blames nobody", n)
              .isGreaterThanOrEqualTo(0);
        }
      }
    }
  }

  @Test
  void aForgedOwnRecordCostsItsSenderAndIsNotKept() throws Exception {
    try (TestNodes nodes = new TestNodes()) {
      client = nodes.vertx.createNetClient();
      nodes.start(nodes.config(root.resolve("a"), "a", Map.of()));
      AddrPeer liar = AddrPeer.connect(client, nodes, "a", "127.0.0.1:9001");
      NodeIdentity other = NodeIdentity.generate(new SecureRandom());
      byte[] loopback = {127, 0, 0, 1};
      AddressRecord signedByOther =
          AddressRecord.sign(other, loopback, 9001, System.currentTimeMillis() / 1000);
      liar.send(
          new PeerExchangeMessage.OwnRecord(
              new AddressRecord(
                  liar.identity().publicKey(),
                  loopback,
                  9001,
                  signedByOther.timestamp(),
                  signedByOther.signature())));
      int admin = nodes.adminPort("a");
      // Signatures are checked on a worker: the blame arrives a moment after the message.
      DiscoveryTest.awaitAll(
          nodes, List.of("a"), p -> reputation(nodes, admin) <= -29, "BAD_ADDRESS_SIGNATURE (-30)");
      assertThat(entry(nodes, "a", liar.identity().id()).orElseThrow().getValue("record")).isNull();
    }
  }

  private static double reputation(TestNodes nodes, int admin) {
    try {
      return nodes
          .get(admin, "/api/peers")
          .bodyAsJsonArray()
          .getJsonObject(0)
          .getDouble("reputation");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void dial(TestNodes nodes, String from, String to) throws Exception {
    await(
        nodes
            .vertx
            .eventBus()
            .request(new Addresses(from).dial(), nodes.id(to) + "@" + nodes.listenAddress(to)));
  }

  static Optional<JsonObject> entry(TestNodes nodes, String prefix, String id) {
    return DiscoveryTest.book(nodes, prefix).stream()
        .map(o -> (JsonObject) o)
        .filter(e -> e.getString("id").equals(id))
        .findFirst();
  }

  private static JsonObject awaitEntry(TestNodes nodes, String prefix, String id) throws Exception {
    DiscoveryTest.awaitAll(
        nodes, List.of(prefix), p -> entry(nodes, p, id).isPresent(), prefix + " knows " + id);
    return entry(nodes, prefix, id).orElseThrow();
  }

  static JsonObject awaitRecord(TestNodes nodes, String prefix, String id) throws Exception {
    DiscoveryTest.awaitAll(
        nodes,
        List.of(prefix),
        p -> entry(nodes, p, id).map(e -> e.getValue("record") != null).orElse(false),
        prefix + " holds the signed record of " + id);
    return entry(nodes, prefix, id).orElseThrow();
  }
}
