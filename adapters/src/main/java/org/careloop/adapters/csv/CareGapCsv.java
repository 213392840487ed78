package org.careloop.adapters.csv;

import java.util.List;
import org.careloop.app.Reads;

/**
 * The care-gap report as CSV, one gap a row, worst first: what {@code careloop report care-gaps}
 * prints and what a manager downloads from a stored weekly report.
 */
public final class CareGapCsv {
  private CareGapCsv() {}

  /** Writes the header and one row per gap to {@code out}. */
  public static void write(Appendable out, List<Reads.GapRow> gaps) {
    var csv =
        new CsvExport(
            out,
            "tier",
            "days_overdue",
            "plan_id",
            "patient",
            "provider",
            "step",
            "description",
            "due_date",
            "reason",
            "outreach_attempts");
    for (var g : gaps)
      csv.row(
          g.tier(),
          g.daysOverdue(),
          g.planId(),
          g.patient(),
          g.provider(),
          g.step(),
          g.description(),
          g.dueDate(),
          g.outcomeUnknown() ? "outcome unknown" : "not done",
          g.attempts());
    csv.flush();
  }
}
