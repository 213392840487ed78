package org.careloop.adapters.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CareGapReports;
import org.careloop.app.Reads;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The CareGapReports port on JDBC: the {@code care_gap_report} table, unique by (practice, week);
 * the rows as one encrypted JSON document.
 */
interface JdbcCareGapReports extends CareGapReports, JdbcAccess {
  JsonMapper JSON = JsonMapper.builder().build();
  TypeReference<List<Reads.GapRow>> ROWS = new TypeReference<>() {};

  /** A report without its rows. */
  String SUMMARY = "select practice_id, week_of, made_at, gaps, notice from care_gap_report";

  private static ReportSummary summary(ResultSet rs) throws SQLException {
    return new ReportSummary(
        rs.getString("practice_id"),
        rs.getObject("week_of", LocalDate.class),
        rs.getObject("made_at", OffsetDateTime.class).toInstant(),
        rs.getInt("gaps"),
        rs.getString("notice"));
  }

  @Override
  default boolean saveCareGapReport(CareGapReport report) {
    // The unique key (practice, week) decides between two makers: the second inserts nothing.
    return update(
            "insert into care_gap_report (practice_id, week_of, made_at, gaps, content, notice)"
                + " select ?, ?, ?, ?, ?, ? where not exists (select 1 from care_gap_report"
                + " where practice_id = ? and week_of = ?)",
            report.practiceId(),
            report.weekOf(),
            report.madeAt(),
            report.gaps().size(),
            cipher().encrypt("care_gap_report.content", JSON.writeValueAsString(report.gaps())),
            Notice.PENDING.name(),
            report.practiceId(),
            report.weekOf())
        == 1;
  }

  @Override
  default Optional<CareGapReport> careGapReport(String practiceId, LocalDate weekOf) {
    return one(
        "select * from care_gap_report where practice_id = ? and week_of = ?",
        rs ->
            new CareGapReport(
                practiceId,
                weekOf,
                rs.getObject("made_at", OffsetDateTime.class).toInstant(),
                JSON.readValue(
                    cipher().decrypt("care_gap_report.content", rs.getString("content")), ROWS)),
        practiceId,
        weekOf);
  }

  @Override
  default List<ReportSummary> careGapReports(String practiceId) {
    return query(
        SUMMARY + " where practice_id = ? order by week_of desc",
        JdbcCareGapReports::summary,
        practiceId);
  }

  @Override
  default List<ReportSummary> pendingReportNotices(int limit) {
    return query(
        SUMMARY
            + " where notice = 'PENDING' order by made_at, practice_id fetch first ? rows only"
            + " for update",
        JdbcCareGapReports::summary,
        limit);
  }

  @Override
  default void markReportNotice(String practiceId, LocalDate weekOf, Notice notice) {
    update(
        "update care_gap_report set notice = ? where practice_id = ? and week_of = ?",
        notice.name(),
        practiceId,
        weekOf);
  }
}
