package org.careloop.adapters.jdbc;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.careloop.app.PracticeSettings;
import org.careloop.app.Settings;
import org.careloop.app.Store;

/** The Settings port on JDBC: the practice row, its holidays and chosen protocols. */
interface JdbcSettings extends Settings, Store.Practices, JdbcAccess {
  @Override
  default PracticeSettings settings(String practiceId) {
    var practice = practice(practiceId);
    var caps =
        one(
                "select cap_per_day, cap_per_week from practice where id = ?",
                rs -> new int[] {rs.getInt(1), rs.getInt(2)},
                practiceId)
            .orElseThrow();
    var reportDay =
        one(
                "select care_gap_report_day from practice where id = ?",
                rs -> java.time.DayOfWeek.valueOf(rs.getString(1)),
                practiceId)
            .orElseThrow();
    var value =
        one(
                "select appointment_value_cents from practice where id = ?",
                rs -> java.util.Optional.ofNullable(rs.getObject(1, Long.class)),
                practiceId)
            .orElseThrow();
    var holidays =
        query(
            "select holiday from practice_holiday where practice_id = ? order by holiday",
            rs -> rs.getObject(1, LocalDate.class),
            practiceId);
    return new PracticeSettings(practice, caps[0], caps[1], holidays, reportDay, value);
  }

  @Override
  default void saveSettings(PracticeSettings s) {
    JdbcStore.writePractice(this, s.practice());
    update(
        "update practice set cap_per_day = ?, cap_per_week = ?, care_gap_report_day = ?,"
            + " appointment_value_cents = ? where id = ?",
        s.capPerDay(),
        s.capPerWeek(),
        s.careGapReportDay().name(),
        s.appointmentValueCents().orElse(null),
        s.practice().id());
  }

  @Override
  default boolean setHoliday(String practiceId, LocalDate day, boolean holiday) {
    boolean present =
        one(
                "select 1 from practice_holiday where practice_id = ? and holiday = ?",
                rs -> 1,
                practiceId,
                day)
            .isPresent();
    if (holiday == present) return false;
    return update(
            holiday
                ? "insert into practice_holiday (practice_id, holiday) values (?, ?)"
                : "delete from practice_holiday where practice_id = ? and holiday = ?",
            practiceId,
            day)
        == 1;
  }

  @Override
  default Map<String, String> practiceProtocols(String practiceId) {
    var out = new TreeMap<String, String>();
    query(
        "select event, protocol_id from practice_protocol where practice_id = ?",
        rs -> out.put(rs.getString(1), rs.getString(2)),
        practiceId);
    return out;
  }

  @Override
  default void choosePracticeProtocol(String practiceId, String event, String protocolId) {
    update("delete from practice_protocol where practice_id = ? and event = ?", practiceId, event);
    update(
        "insert into practice_protocol (practice_id, event, protocol_id) values (?, ?, ?)",
        practiceId,
        event,
        protocolId);
  }

  @Override
  default void setMarketingConsent(String patientId, Optional<Instant> at) {
    update("update patient set marketing_consent_at = ? where id = ?", at.orElse(null), patientId);
  }

  @Override
  default Optional<Instant> marketingConsentAt(String patientId) {
    return one(
            "select marketing_consent_at from patient where id = ?",
            rs ->
                Optional.ofNullable(
                    rs.getObject("marketing_consent_at", java.time.OffsetDateTime.class)),
            patientId)
        .flatMap(o -> o.map(java.time.OffsetDateTime::toInstant));
  }
}
