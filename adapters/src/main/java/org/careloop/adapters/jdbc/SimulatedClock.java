package org.careloop.adapters.jdbc;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The clock of a database created with {@code --clock simulated}: it stands still until {@code
 * careloop advance} moves it, and its time is kept in the database.
 */
public final class SimulatedClock extends Clock {
  private final Database db;

  public SimulatedClock(Database db) {
    this.db = db;
  }

  @Override
  public Instant instant() {
    return Instant.parse(
        db.setting("clock.now")
            .orElseThrow(() -> new IllegalStateException("simulated clock has no time")));
  }

  /** Moves the clock; never backwards. */
  public void set(Instant to) {
    if (to.isBefore(instant())) {
      throw new IllegalArgumentException(
          "the simulated clock is at " + instant() + "; it cannot go back to " + to);
    }
    db.putSetting("clock.now", to.toString());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the simulated clock is UTC");
  }
}
