package org.careloop.app;

import java.time.LocalDate;
import java.util.List;

/** What an administrator sets for a practice: its identity and senders, caps and holidays. */
public record PracticeSettings(
    Practice practice, int capPerDay, int capPerWeek, List<LocalDate> holidays) {
  public PracticeSettings {
    holidays = List.copyOf(holidays);
  }
}
