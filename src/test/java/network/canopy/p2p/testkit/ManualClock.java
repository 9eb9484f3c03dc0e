package network.canopy.p2p.testkit;

import java.util.function.LongSupplier;

/** A millis clock that moves only when a test says so. */
public final class ManualClock implements LongSupplier {

  private long now;

  public ManualClock(long start) {
    this.now = start;
  }

  @Override
  public long getAsLong() {
    return now;
  }

  public void advance(long millis) {
    now += millis;
  }

  public void set(long millis) {
    now = millis;
  }
}
