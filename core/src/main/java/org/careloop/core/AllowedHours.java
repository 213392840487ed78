package org.careloop.core;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The hours of the day automated messages may go out, in the patient's time zone. A message due
 * outside them waits for the next allowed minute.
 */
public record AllowedHours(LocalTime from, LocalTime until) {

  /** 08:00 to 21:00: the TCPA's window for calls and texts. */
  public static final AllowedHours DEFAULT =
      new AllowedHours(LocalTime.of(8, 0), LocalTime.of(21, 0));

  public AllowedHours {
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException(
          "allowed hours must start before they end: " + from + "–" + until);
    }
  }

  /** {@code at} itself when it is allowed, else the next allowed instant. */
  public Instant nextAllowed(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    LocalTime time = local.toLocalTime();
    if (!time.isBefore(from) && time.isBefore(until)) return at;
    var day = time.isBefore(from) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    return ZonedDateTime.of(day, from, zone).toInstant();
  }

  /** Whether a message may go out at {@code at}. */
  public boolean allows(Instant at, ZoneId zone) {
    return nextAllowed(at, zone).equals(at);
  }
}
