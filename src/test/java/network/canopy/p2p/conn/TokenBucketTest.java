package network.canopy.p2p.conn;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rate limiter, on a clock the test moves by hand. */
class TokenBucketTest {

  private static final long MS = 1_000_000;

  @Test
  void startsFullSpendsIntoDebtAndRefillsAtTheRate() {
    TokenBucket bucket = new TokenBucket(1000, 100, 0);
    assertThat(bucket.ready(0)).isTrue();
    bucket.spend(150, 0); // a frame is spent whole, even past what is there
    assertThat(bucket.ready(0)).isFalse();
    assertThat(bucket.nanosUntilReady(0)).isEqualTo(50 * MS);
    assertThat(bucket.ready(49 * MS)).isFalse();
    assertThat(bucket.ready(50 * MS)).isTrue();
  }

  @Test
  void idleTimeEarnsNoMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(1000, 100, 0);
    bucket.spend(100, 10_000 * MS);
    assertThat(bucket.ready(10_000 * MS)).isTrue();
    bucket.spend(1, 10_000 * MS);
    assertThat(bucket.ready(10_000 * MS)).isFalse();
  }

  @Test
  void defaultBurstIsATenthOfASecondButAtLeastOneFrame() {
    assertThat(TokenBucket.defaultBurst(2_000_000)).isEqualTo(200_000);
    assertThat(TokenBucket.defaultBurst(100_000)).isEqualTo(64 * 1024);
  }
}
