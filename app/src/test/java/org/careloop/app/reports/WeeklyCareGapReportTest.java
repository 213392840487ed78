package org.careloop.app.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.app.CareGapReports.ReportSummary;
import org.careloop.app.Person;
import org.junit.jupiter.api.Test;

class WeeklyCareGapReportTest {
  static final ZoneId CHICAGO = ZoneId.of("America/Chicago");

  @Test
  void theWeek_turnsAt0700OnTheReportDay_inThePracticesZone() {
    // Monday 2026-11-30, 06:59 in Chicago is 12:59 UTC: still last week's report.
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-11-30T12:59:00Z"), DayOfWeek.MONDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-11-23"));
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-11-30T13:00:00Z"), DayOfWeek.MONDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-11-30"));
    // Sunday evening in Chicago is Monday in UTC: the week is the zone's, not UTC's.
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-12-07T03:00:00Z"), DayOfWeek.MONDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-11-30"));
    // A practice that reports on Fridays.
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-12-02T15:00:00Z"), DayOfWeek.FRIDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-11-27"));
  }

  @Test
  void theWeek_onTheDayClocksChange_turnsAt0700LocalTime() {
    // 2026-03-08 is a Sunday; clocks go forward at 02:00 in Chicago (CDT, UTC-5, from then on).
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-03-08T11:59:00Z"), DayOfWeek.SUNDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-03-01"));
    assertThat(
            WeeklyCareGapReport.weekOf(
                Instant.parse("2026-03-08T12:00:00Z"), DayOfWeek.SUNDAY, CHICAGO))
        .isEqualTo(LocalDate.parse("2026-03-08"));
  }

  @Test
  void theNotice_goesToManagersWithAnAddress_andNamesNoPatient() {
    var people =
        List.of(
            person("max", "manager", Optional.of("max@riverside.example")),
            person("mo", "manager", Optional.empty()),
            person("cora", "coordinator", Optional.of("cora@riverside.example")));
    assertThat(WeeklyCareGapReport.managersToTell(people))
        .extracting(Person::username)
        .containsExactly("max");

    var report =
        new ReportSummary(
            "default",
            LocalDate.parse("2026-11-30"),
            Instant.parse("2026-11-30T13:00:00Z"),
            3,
            "PENDING");
    var m =
        WeeklyCareGapReport.message(
            report, "Riverside Family Medicine", people.get(0), "https://careloop.example");
    assertThat(m.to()).isEqualTo("max@riverside.example");
    assertThat(m.channel()).isEqualTo("EMAIL");
    assertThat(m.subject()).contains("Care-gap report for the week of 2026-11-30");
    assertThat(m.body())
        .contains("3 open care gaps")
        .contains("https://careloop.example/work/reports/care-gaps/2026-11-30");
    assertThat(m.idempotencyKey()).isEqualTo("care-gap-report:default:2026-11-30:max");
  }

  static Person person(String username, String role, Optional<String> email) {
    return new Person(
        "us-" + username, "default", username, username, "{noop}x", role, false, email);
  }
}
