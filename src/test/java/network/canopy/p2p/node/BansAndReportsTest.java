package network.canopy.p2p.node;

import static network.canopy.p2p.node.TestNodes.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import network.canopy.p2p.config.Addresses;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Applications and operators judge peers, on real loopback nodes: reports move reputation and end
 * in a ban; operator bans by id and by IP; every ban, operator and reputation, persisted in the
 * data dir and holding after a restart.
 */
class BansAndReportsTest {

  private static final String HOUR = "3600000";

  @TempDir Path root;

  @Test
  void reportsMoveAPeersReputationAndEndInABan() throws Exception {
    try (TrustLine line = new TrustLine(root)) {
      line.start("judge", Map.of(), List.of());
      line.start("sender", Map.of(), List.of("judge"));
      List<JsonObject> events = new CopyOnWriteArrayList<>();
      await(
          line.nodes
              .vertx
              .eventBus()
              .<JsonObject>consumer(new Addresses("judge").events(), m -> events.add(m.body()))
              .completion());
      String sender = line.id("sender");

      JsonObject first =
          await(
                  line.nodes
                      .vertx
                      .eventBus()
                      .<JsonObject>request(
                          new Addresses("judge").report(),
                          new JsonObject()
                              .put("peer", sender)
                              .put("kind", "invalid")
                              .put("points", 20)
                              .put("reason", "bad block")))
              .body();
      assertThat(first.getDouble("score")).isCloseTo(-20, within(0.01));
      assertThat(first.getBoolean("banned")).isFalse();
      assertThat(line.peer("judge", sender).getDouble("reputation")).isCloseTo(-20, within(0.1));
      assertThat(
              report(line, "judge", sender, "useless", null).bodyAsJsonObject().getDouble("score"))
          .isCloseTo(-25, within(0.01));
      assertThat(report(line, "judge", sender, "good", "3").bodyAsJsonObject().getDouble("score"))
          .isCloseTo(-22, within(0.01));

      HttpResponse<Buffer> banning = report(line, "judge", sender, "invalid", "30");
      assertThat(banning.statusCode()).isEqualTo(200);
      assertThat(banning.bodyAsJsonObject().getBoolean("banned")).isTrue();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> line.peer("judge", sender) == null);
      JsonArray bans = bans(line, "judge");
      assertThat(bans).hasSize(1);
      assertThat(bans.getJsonObject(0).getString("peer")).isEqualTo(sender);
      assertThat(bans.getJsonObject(0).getString("source")).isEqualTo("reputation");
      assertThat(bans.getJsonObject(0).getLong("until")).isGreaterThan(System.currentTimeMillis());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  events.stream()
                      .anyMatch(
                          e ->
                              "peer.banned".equals(e.getString("type"))
                                  && sender.equals(e.getString("peer"))));
      assertThat(events).anyMatch(e -> "peer.reported".equals(e.getString("type")));

      assertThat(report(line, "judge", "ab".repeat(32), "invalid", null).statusCode())
          .as("unknown peer")
          .isEqualTo(404);
      assertThat(report(line, "judge", sender, "nasty", null).statusCode()).isEqualTo(400);
      assertThat(report(line, "judge", sender, "invalid", "-5").statusCode()).isEqualTo(400);
    }
  }

  @Test
  void operatorAndReputationBansAreSavedAndHoldAfterARestart() throws Exception {
    try (TrustLine line = new TrustLine(root)) {
      line.start("op", Map.of(), List.of());
      line.start("rude", Map.of(), List.of("op"));
      line.start("cheat", Map.of(), List.of("op"));
      line.start("honest", Map.of(), List.of("op"));
      String rude = line.id("rude");
      String cheat = line.id("cheat");
      int port = line.adminPort("op");

      HttpResponse<Buffer> banned =
          post(line, port, "/api/ban?peer=" + rude + "&durationMs=" + HOUR);
      assertThat(banned.statusCode()).isEqualTo(200);
      assertThat(banned.bodyAsJsonObject().getString("source")).isEqualTo("operator");
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> line.peer("op", rude) == null);
      for (int i = 0; i < 3; i++) {
        report(line, "op", cheat, "invalid", "20");
      }
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> line.peer("op", cheat) == null);
      assertThat(Files.readString(line.dataDir("op").resolve("bans.json"))).contains(rude, cheat);

      line.stop("op");
      line.restart("op");
      port = line.adminPort("op");
      assertThat(
              bans(line, "op").stream()
                  .map(JsonObject.class::cast)
                  .map(b -> b.getString("peer") + "/" + b.getString("source")))
          .containsExactlyInAnyOrder(rude + "/operator", cheat + "/reputation");
      // Told "banned until" in their GOODBYE, the banned peers do not redial before the ban ends
      // (PROTOCOL.md §16); restarted, they have forgotten it, dial op (p2p.dial) and are refused.
      line.awaitLinked("honest", "op");
      double refusedBefore = refusedAsBanned(line);
      for (String name : List.of("rude", "cheat")) {
        line.stop(name);
        line.restart(name);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refusedAsBanned(line) >= refusedBefore + 2);
      assertThat(line.peer("op", rude)).isNull();
      assertThat(line.peer("op", cheat)).isNull();

      assertThat(post(line, port, "/api/unban?peer=" + rude).statusCode()).isEqualTo(200);
      assertThat(post(line, port, "/api/unban?peer=" + rude).statusCode())
          .as("no such ban any more")
          .isEqualTo(404);
      assertThat(
              bans(line, "op").stream().map(JsonObject.class::cast).map(b -> b.getString("peer")))
          .containsExactly(cheat);
    }
  }

  @Test
  void anIpBanDisconnectsAndRefusesEveryPeerInTheRange() throws Exception {
    try (TrustLine line = new TrustLine(root)) {
      line.start("op", Map.of(), List.of());
      line.start("near", Map.of(), List.of("op"));
      int port = line.adminPort("op");

      assertThat(post(line, port, "/api/ban?ip=10.0.0.0/33").statusCode()).isEqualTo(400);
      HttpResponse<Buffer> banned = post(line, port, "/api/ban?ip=127.0.0.0/8&durationMs=" + HOUR);
      assertThat(banned.statusCode()).isEqualTo(200);
      assertThat(banned.bodyAsJsonObject().getString("ip")).isEqualTo("127.0.0.0/8");
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> line.peer("op", line.id("near")) == null);
      double refusedBefore = refusedAsBanned(line);
      line.stop(
          "near"); // told when the ban ends, it would wait an hour: restarted, it dials at once
      line.restart("near");
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refusedAsBanned(line) > refusedBefore);
      assertThat(bans(line, "op").getJsonObject(0).getString("source")).isEqualTo("operator");

      assertThat(post(line, port, "/api/unban?ip=127.0.0.0/8").statusCode()).isEqualTo(200);
      assertThat(post(line, port, "/api/unban?ip=127.0.0.0/8").statusCode()).isEqualTo(404);
      assertThat(bans(line, "op")).isEmpty();
      line.stop("near"); // it was told "banned until" an hour from now again, and would wait for it
      line.restart("near");
      line.awaitLinked("op", "near");
    }
  }

  private static double refusedAsBanned(TrustLine line) {
    return line.counter("op", "p2p.admissions.refused", "reason", "banned");
  }

  private static HttpResponse<Buffer> report(
      TrustLine line, String at, String peer, String kind, String points) throws Exception {
    String path =
        "/api/report?peer="
            + peer
            + "&kind="
            + kind
            + (points == null ? "" : "&points=" + points)
            + "&reason=test";
    return post(line, line.adminPort(at), path);
  }

  private static HttpResponse<Buffer> post(TrustLine line, int port, String path) throws Exception {
    return await(line.nodes.http.post(port, "127.0.0.1", path).send());
  }

  private static JsonArray bans(TrustLine line, String prefix) throws Exception {
    HttpResponse<Buffer> reply =
        await(line.nodes.http.get(line.adminPort(prefix), "127.0.0.1", "/api/bans").send());
    assertThat(reply.statusCode()).isEqualTo(200);
    return reply.bodyAsJsonArray();
  }
}
