package org.careloop.core;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * A practice's rules for automated outreach across all of a patient's plans, and its calendar.
 *
 * @param perDay automated outreaches a patient may get in any 24 hours, across all plans
 * @param perWeek automated outreaches in any 7 days, across all plans
 * @param holidays practice days (in {@code zone}) on which nothing automated goes out
 * @param zone the practice's time zone, for holidays and protocol send windows
 * @param businessDays the days the practice works (the lanes' business hours)
 * @param closeOfBusiness when its working day ends: a business-day deadline is due then
 */
public record SendRules(
    int perDay,
    int perWeek,
    Set<LocalDate> holidays,
    ZoneId zone,
    Set<java.time.DayOfWeek> businessDays,
    java.time.LocalTime closeOfBusiness) {

  /** Monday to Friday, closing at 17:00. */
  public static final Set<java.time.DayOfWeek> WEEKDAYS =
      java.util.EnumSet.range(java.time.DayOfWeek.MONDAY, java.time.DayOfWeek.FRIDAY);

  /** Rules on a Monday-to-Friday week closing at 17:00. */
  public SendRules(int perDay, int perWeek, Set<LocalDate> holidays, ZoneId zone) {
    this(perDay, perWeek, holidays, zone, WEEKDAYS, java.time.LocalTime.of(17, 0));
  }

  /** These rules on the practice's own working week. */
  public SendRules withBusinessHours(Set<java.time.DayOfWeek> days, java.time.LocalTime close) {
    return new SendRules(perDay, perWeek, holidays, zone, days, close);
  }

  /** Whether {@code day} is a working day: a business day, not a holiday. */
  public boolean isBusinessDay(LocalDate day) {
    return businessDays.contains(day.getDayOfWeek()) && !holidays.contains(day);
  }

  public SendRules {
    holidays = Set.copyOf(holidays);
    businessDays = Set.copyOf(businessDays);
    if (businessDays.isEmpty())
      throw new IllegalArgumentException("a practice works at least one day a week");
    if (perDay < 1 || perWeek < perDay) {
      throw new IllegalArgumentException(
          "frequency caps need 1 ≤ per day ≤ per week, got " + perDay + "/" + perWeek);
    }
  }

  /** At most 1 automated outreach a day and 3 a week; no holidays. */
  public static SendRules defaults(ZoneId zone) {
    return new SendRules(1, 3, Set.of(), zone);
  }
}
