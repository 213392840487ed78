package org.careloop.app;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;

/**
 * What an administrator sets for a practice: its identity and senders, caps and holidays.
 *
 * @param careGapReportDay the day of the week careloop makes the weekly care-gap report
 * @param appointmentValueCents what a kept appointment is worth to the practice, in cents, when it
 *     said: the dashboard's revenue figures count a recovered visit whose plan has no value at it
 */
public record PracticeSettings(
    Practice practice,
    int capPerDay,
    int capPerWeek,
    List<LocalDate> holidays,
    DayOfWeek careGapReportDay,
    java.util.Optional<Long> appointmentValueCents) {
  public PracticeSettings {
    holidays = List.copyOf(holidays);
  }

  /** The settings with a different appointment value. */
  public PracticeSettings withAppointmentValue(java.util.Optional<Long> cents) {
    return new PracticeSettings(practice, capPerDay, capPerWeek, holidays, careGapReportDay, cents);
  }
}
