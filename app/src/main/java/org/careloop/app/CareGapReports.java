package org.careloop.app;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The weekly care-gap reports careloop made and kept, one per practice and week, and the notice of
 * each to the practice's managers, sent once.
 */
public interface CareGapReports {

  /** A week's report as made: its gaps worst first. */
  record CareGapReport(
      String practiceId, LocalDate weekOf, Instant madeAt, List<Reads.GapRow> gaps) {
    public CareGapReport {
      gaps = List.copyOf(gaps);
    }
  }

  /** A stored report without its rows. */
  record ReportSummary(
      String practiceId, LocalDate weekOf, Instant madeAt, int gaps, String notice) {}

  /**
   * Where a report's notice stands: to send; being sent (committed before the mail server was
   * called, so never sent twice); sent; refused by the mail server; no manager with an address.
   */
  enum Notice {
    PENDING,
    SENDING,
    SENT,
    FAILED,
    NONE
  }

  /**
   * Keeps the week's report with its notice {@link Notice#PENDING}, unless the practice has one for
   * that week already.
   *
   * @return whether it was kept (false: the week's report was made before)
   */
  boolean saveCareGapReport(CareGapReport report);

  /** The practice's report for the week, if one was made; another practice's is never found. */
  Optional<CareGapReport> careGapReport(String practiceId, LocalDate weekOf);

  /** The practice's reports, newest first. */
  List<ReportSummary> careGapReports(String practiceId);

  /** Reports whose notice is {@link Notice#PENDING}, locked until the transaction ends. */
  List<ReportSummary> pendingReportNotices(int limit);

  /** Moves a report's notice on. */
  void markReportNotice(String practiceId, LocalDate weekOf, Notice notice);
}
