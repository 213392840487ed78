package org.careloop.core;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.Set;

/**
 * A protocol's own send window in the practice's time zone, e.g. weekdays 10:00–14:00, inside the
 * patient's allowed hours.
 */
public record SendWindow(Set<DayOfWeek> days, LocalTime from, LocalTime until) {

  public static final Set<DayOfWeek> WEEKDAYS = EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);

  public SendWindow {
    days = Set.copyOf(days);
    if (days.isEmpty()) throw new IllegalArgumentException("a send window needs at least one day");
    if (!from.isBefore(until)) {
      throw new IllegalArgumentException(
          "a send window must start before it ends: " + from + "–" + until);
    }
  }

  /** {@code at} itself when inside the window, else the window's next opening. */
  public Instant nextOpen(Instant at, ZoneId zone) {
    ZonedDateTime local = at.atZone(zone);
    for (int i = 0; i < 8; i++) {
      var day = local.toLocalDate().plusDays(i);
      if (!days.contains(day.getDayOfWeek())) continue;
      if (i == 0) {
        var time = local.toLocalTime();
        if (time.isBefore(from)) return ZonedDateTime.of(day, from, zone).toInstant();
        if (time.isBefore(until)) return at;
        continue;
      }
      return ZonedDateTime.of(day, from, zone).toInstant();
    }
    throw new IllegalStateException("unreachable: a window with days opens within a week");
  }

  @Override
  public String toString() {
    String when =
        days.equals(WEEKDAYS)
            ? "weekdays"
            : days.stream()
                .sorted()
                .map(d -> d.name().substring(0, 3))
                .collect(java.util.stream.Collectors.joining(","));
    return when + " " + from + "–" + until;
  }
}
