package org.careloop.app.reports;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * The days a dashboard figure counts, first and last included, in the practice's zone: from the
 * first day's midnight there to the midnight after the last.
 */
public record Period(LocalDate from, LocalDate to, ZoneId zone) {
  public Period {
    if (to.isBefore(from))
      throw new IllegalArgumentException(
          "the period ends (" + to + ") before it starts (" + from + ")");
  }

  /** The {@code days} days that end with {@code last}. */
  public static Period ending(LocalDate last, int days, ZoneId zone) {
    return new Period(last.minusDays(days - 1L), last, zone);
  }

  /** When the period starts. */
  public Instant start() {
    return from.atStartOfDay(zone).toInstant();
  }

  /** When the period is over: the midnight after its last day. */
  public Instant end() {
    return to.plusDays(1).atStartOfDay(zone).toInstant();
  }

  /** How many days it has. */
  public long days() {
    return ChronoUnit.DAYS.between(from, to) + 1;
  }

  /** The period of as many days that ends the day before this one starts. */
  public Period previous() {
    return new Period(from.minusDays(days()), from.minusDays(1), zone);
  }

  /** Whether {@code t} falls in the period. */
  public boolean holds(Instant t) {
    return !t.isBefore(start()) && t.isBefore(end());
  }

  /** The period's length in weeks, for figures given per week. */
  public double weeks() {
    return Duration.between(start(), end()).toHours() / (24.0 * 7);
  }
}
