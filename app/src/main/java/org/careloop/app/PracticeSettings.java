package org.careloop.app;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/**
 * What an administrator sets for a practice: its identity and senders, caps and holidays.
 *
 * @param careGapReportDay the day of the week careloop makes the weekly care-gap report
 */
public record PracticeSettings(
    Practice practice,
    int capPerDay,
    int capPerWeek,
    List<LocalDate> holidays,
    DayOfWeek careGapReportDay) {
  public PracticeSettings {
    holidays = List.copyOf(holidays);
  }
}
