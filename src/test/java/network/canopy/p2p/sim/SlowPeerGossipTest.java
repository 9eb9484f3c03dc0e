package network.canopy.p2p.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Line stalled — origin — fast: the stalled node's application takes nothing, so it stops reading
 * and the origin's queue to it fills. Gossip to the fast node goes on in full; what the stalled one
 * cannot take is dropped oldest-first and counted, within the queue bound.
 */
class SlowPeerGossipTest {

  private static final int STALLED = 0;
  private static final int ORIGIN = 1;
  private static final int FAST = 2;
  private static final int MESSAGES = 1000;
  private static final int SIZE = 16 * 1024;

  @TempDir Path root;

  @Test
  void aStalledPeerDoesNotHoldBackTheOthersAndWhatItMissesIsCounted() throws Exception {
    Map<String, String> small =
        Map.of(
            "p2p.sendQueueBytes",
            String.valueOf(2 << 20),
            "p2p.inboxBytes",
            String.valueOf(1 << 20),
            "p2p.socketBufferBytes",
            "65536");
    try (SimNetwork net = new SimNetwork(SimGraph.line(3), root, "consensus", small)) {
      net.start();
      net.stallApplication(STALLED);
      List<DeliveryLog.Track> sent = new ArrayList<>();
      for (int seq = 0; seq < MESSAGES; seq++) {
        sent.add(
            net.log().track(net.broadcast(ORIGIN, Buffer.buffer(new byte[SIZE]).setInt(0, seq))));
        // The application paces itself by the fast peer (at most 32 messages ahead of it).
        if (seq >= 32) {
          DeliveryLog.Track behind = sent.get(seq - 32);
          GossipNetworkTest.soon().until(() -> behind.deliveries(FAST) > 0);
        }
      }
      GossipNetworkTest.soon().until(() -> sent.getLast().deliveries(FAST) > 0);

      assertThat(sent)
          .as("the fast peer got every message, once")
          .allMatch(t -> t.deliveries(FAST) == 1);
      JsonObject toStalled =
          peer(net, ORIGIN, net.id(STALLED)).getJsonObject("topics").getJsonObject("consensus");
      assertThat(toStalled.getLong("queuedBytes"))
          .as("within the topic's queue bound")
          .isLessThanOrEqualTo(2L << 20);
      double dropped = net.gossipCount("dropped");
      assertThat(dropped).as("what the stalled peer could not take").isPositive();
      long reachedStalled = sent.stream().filter(t -> t.deliveries(STALLED) > 0).count();
      assertThat(reachedStalled).isLessThan(MESSAGES);

      net.resumeApplication(STALLED);
      GossipNetworkTest.soon().until(() -> sent.getLast().deliveries(STALLED) == 1);
      assertThat(sent.stream().filter(t -> t.deliveries(STALLED) > 0).count() + (long) dropped)
          .as("every message reached the stalled node or was counted dropped for it")
          .isEqualTo(MESSAGES);
      System.out.printf(
          "slow peer: %d of %d messages reached the stalled node, %.0f copies dropped for it%n",
          sent.stream().filter(t -> t.deliveries(STALLED) > 0).count(), MESSAGES, dropped);
    }
  }

  private static JsonObject peer(SimNetwork net, int node, String peerId) throws Exception {
    JsonArray peers =
        net.vertx()
            .eventBus()
            .<JsonArray>request(net.addresses(node).peers(), null)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS)
            .body();
    return peers.stream()
        .map(JsonObject.class::cast)
        .filter(p -> p.getString("id").equals(peerId))
        .findFirst()
        .orElseThrow();
  }
}
