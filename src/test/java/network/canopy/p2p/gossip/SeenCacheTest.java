package network.canopy.p2p.gossip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The seen-cache decides "new" once per id, forgets by age and by count, and is never refreshed by
 * duplicates.
 */
class SeenCacheTest {

  private final AtomicLong now = new AtomicLong(1_000);

  private static SeenCache.Key key(int n) {
    return new SeenCache.Key(n, 0, 0, n);
  }

  @Test
  void anIdIsNewOnceWithinItsTimeToLive() {
    SeenCache cache = new SeenCache(10, 100, now::get);
    assertThat(cache.firstSighting(key(1))).isTrue();
    now.addAndGet(99);
    assertThat(cache.firstSighting(key(1))).isFalse();
    now.addAndGet(1);
    assertThat(cache.firstSighting(key(1))).as("forgotten after the TTL: new again").isTrue();
  }

  @Test
  void duplicatesDoNotExtendAnEntrysLife() {
    SeenCache cache = new SeenCache(10, 100, now::get);
    cache.firstSighting(key(1));
    for (int i = 0; i < 3; i++) {
      now.addAndGet(30);
      assertThat(cache.firstSighting(key(1))).isFalse();
    }
    now.addAndGet(10);
    assertThat(cache.size())
        .as("100 ms after the first sighting, duplicates at 30, 60, 90 notwithstanding")
        .isZero();
  }

  @Test
  void theOldestIdsGoFirstWhenTheCacheIsFull() {
    SeenCache cache = new SeenCache(3, 1_000_000, now::get);
    for (int i = 1; i <= 4; i++) {
      cache.firstSighting(key(i));
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.firstSighting(key(2))).isFalse();
    assertThat(cache.firstSighting(key(1))).as("pushed out by the fourth").isTrue();
  }

  @Test
  void theIdMatchesTheTestVectorOfTheProtocolDocument() {
    GossipId id = GossipId.of("consensus", io.vertx.core.buffer.Buffer.buffer("vote"));
    assertThat(id.payloadSha256Hex())
        .isEqualTo("ab274474a6aa82c100dddca63977facb556f66f489fb558c044a456f9ba919ce");
    assertThat(id.hex())
        .isEqualTo("93e46893175f044ef0361c776fe89fb21c9bd2dec2f628faac71dfcf35a74a53");
  }

  @Test
  void idsBindTheTopicAndThePayload() {
    var vote = io.vertx.core.buffer.Buffer.buffer("vote");
    assertThat(GossipId.of("consensus", vote))
        .isEqualTo(GossipId.of("consensus", vote.copy()))
        .isNotEqualTo(GossipId.of("tx", vote))
        .isNotEqualTo(GossipId.of("consensus", io.vertx.core.buffer.Buffer.buffer("vote!")));
  }
}
