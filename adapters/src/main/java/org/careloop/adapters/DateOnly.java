package org.careloop.adapters;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * What a date without a time means, wherever a source writes one: a deadline is due at the end of
 * the business day where the patient lives, an order or a presentation happened at noon there;
 * never midnight UTC (which is the evening before in the Americas).
 */
public final class DateOnly {
  private DateOnly() {}

  /** A follow-up is due at the end of the practice's business day. */
  public static final LocalTime DUE_TIME = LocalTime.of(17, 0);

  /** When a step due on {@code date} falls due, in {@code zone}. */
  public static Instant due(LocalDate date, ZoneId zone) {
    return date.atTime(DUE_TIME).atZone(zone).toInstant();
  }

  /** When something that happened on {@code date} (an order, a presentation) is placed. */
  public static Instant happened(LocalDate date, ZoneId zone) {
    return date.atTime(LocalTime.NOON).atZone(zone).toInstant();
  }
}
