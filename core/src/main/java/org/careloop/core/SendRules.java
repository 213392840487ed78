package org.careloop.core;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * A practice's rules for automated outreach across all of a patient's plans.
 *
 * @param perDay automated outreaches a patient may get in any 24 hours, across all plans
 * @param perWeek automated outreaches in any 7 days, across all plans
 * @param holidays practice days (in {@code zone}) on which nothing automated goes out
 * @param zone the practice's time zone, for holidays and protocol send windows
 */
public record SendRules(int perDay, int perWeek, Set<LocalDate> holidays, ZoneId zone) {

  public SendRules {
    holidays = Set.copyOf(holidays);
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
