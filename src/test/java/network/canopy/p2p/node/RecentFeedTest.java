package network.canopy.p2p.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import network.canopy.p2p.admin.RecentFeed;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's message feed shows each received message once, oldest first, with a bounded
 * backlog.
 */
class RecentFeedTest {

  private static JsonObject entry(String peer, int size, long at, String sha) {
    return new JsonObject()
        .put("id", sha)
        .put("peer", peer)
        .put("size", size)
        .put("sha256", sha)
        .put("receivedAt", at);
  }

  @Test
  void repeatedAnswersYieldOnlyNewMessagesOldestFirst() {
    RecentFeed feed = new RecentFeed();
    List<JsonObject> first =
        feed.fresh("tx", new JsonArray().add(entry("p", 2, 20, "b")).add(entry("p", 1, 10, "a")));
    assertThat(first).extracting(e -> e.getString("sha256")).containsExactly("a", "b");
    assertThat(first).allMatch(e -> "tx".equals(e.getString("topic")));

    List<JsonObject> second =
        feed.fresh(
            "tx",
            new JsonArray()
                .add(entry("p", 3, 30, "c"))
                .add(entry("p", 2, 20, "b"))
                .add(entry("p", 1, 10, "a")));
    assertThat(second).extracting(e -> e.getString("sha256")).containsExactly("c");
  }

  @Test
  void aDigestArrivingLaterDoesNotRepeatTheMessage() {
    RecentFeed feed = new RecentFeed();
    feed.fresh("block", new JsonArray().add(entry("p", 9_000_000, 10, null)));
    assertThat(feed.fresh("block", new JsonArray().add(entry("p", 9_000_000, 10, "d")))).isEmpty();
  }

  @Test
  void theBacklogKeepsOnlyTheNewest() {
    RecentFeed feed = new RecentFeed();
    JsonArray many = new JsonArray();
    for (int i = 100; i > 0; i--) {
      many.add(entry("p", i, i, "m" + i));
    }
    feed.fresh("tx", many);
    JsonArray backlog = feed.backlog();
    assertThat(backlog).hasSize(RecentFeed.BACKLOG);
    assertThat(backlog.getJsonObject(backlog.size() - 1).getString("sha256")).isEqualTo("m100");
  }
}
