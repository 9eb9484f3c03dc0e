package network.canopy.p2p.peer;

import java.util.function.LongSupplier;

/** A millis clock that moves only when a test says so. */
final class ManualClock implements LongSupplier {

  private long now;

  ManualClock(long start) {
    this.now = start;
  }

  @Override
  public long getAsLong() {
    return now;
  }

  void advance(long millis) {
    now += millis;
  }

  void set(long millis) {
    now = millis;
  }
}
