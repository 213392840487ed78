package org.careloop.app.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.careloop.core.Lane;
import org.careloop.core.Priority;
import org.junit.jupiter.api.Test;

/** Response windows count in the practice's business days, in its zone, around its holidays. */
class LaneRulesTest {
  static final ZoneId BOSTON = ZoneId.of("America/New_York");
  static final LaneRules DEFAULTS = LaneRules.defaults();

  @Test
  void aHighTaskOnFridayEvening_isDueAtTheCloseOfTheNextBusinessDay_skippingAHoliday() {
    // Friday 27 Feb 2026, 18:00 in Boston: after closing, so the window starts Monday; Monday is
    // a holiday, so "next business day" is Wednesday (Tuesday is the first business day).
    var created = Instant.parse("2026-02-27T23:00:00Z");
    var holiday = Set.of(LocalDate.parse("2026-03-02"));
    assertThat(DEFAULTS.respondBy(Priority.HIGH, created, BOSTON, holiday))
        .isEqualTo(Instant.parse("2026-03-04T22:00:00Z"));
    assertThat(DEFAULTS.respondBy(Priority.HIGH, created, BOSTON, Set.of()))
        .isEqualTo(Instant.parse("2026-03-03T22:00:00Z"));
  }

  @Test
  void anUrgentTaskInBusinessHours_isDueAtTodaysClose_inThePracticesZone() {
    // 10:00 in Los Angeles is 13:00 in Boston: the same task closes three hours apart.
    var created = Instant.parse("2026-03-03T18:00:00Z");
    assertThat(
            DEFAULTS.respondBy(
                Priority.URGENT, created, ZoneId.of("America/Los_Angeles"), Set.of()))
        .isEqualTo(Instant.parse("2026-03-04T01:00:00Z"));
    assertThat(DEFAULTS.respondBy(Priority.URGENT, created, BOSTON, Set.of()))
        .isEqualTo(Instant.parse("2026-03-03T22:00:00Z"));
  }

  @Test
  void aRoutineWindow_acrossTheSpringClockChange_closesAt17LocalNotAnHourOff() {
    // Friday 6 March 2026, 09:00 EST; clocks go forward on Sunday 8 March. Three business days:
    // Monday, Tuesday, Wednesday 11 March, closing 17:00 EDT = 21:00 UTC.
    var created = Instant.parse("2026-03-06T14:00:00Z");
    assertThat(DEFAULTS.respondBy(Priority.ROUTINE, created, BOSTON, Set.of()))
        .isEqualTo(Instant.parse("2026-03-11T21:00:00Z"));
  }

  @Test
  void anHourWindow_countsClockHours_andALanesFloorRaisesALowerTier() {
    var rules =
        new LaneRules(
            new LaneRules.BusinessHours(
                EnumSet.of(DayOfWeek.TUESDAY), LocalTime.of(9, 0), LocalTime.of(12, 0)),
            Map.of(Priority.URGENT, "2h", Priority.HIGH, "same-day", Priority.ROUTINE, "5h"),
            Map.of(Lane.DISCHARGE, new LaneRules.LaneRule(Priority.HIGH, "nurse", "x", "y")),
            "provider");
    var created = Instant.parse("2026-03-07T03:00:00Z");
    assertThat(rules.respondBy(Priority.URGENT, created, BOSTON, Set.of()))
        .isEqualTo(Instant.parse("2026-03-07T05:00:00Z"));
    assertThat(rules.priority(Lane.DISCHARGE, Priority.ROUTINE)).isEqualTo(Priority.HIGH);
    assertThat(rules.priority(Lane.DISCHARGE, Priority.URGENT)).isEqualTo(Priority.URGENT);
    // A lane the practice did not write falls back to routine, owned by a coordinator.
    assertThat(rules.priority(Lane.REFERRAL, Priority.ROUTINE)).isEqualTo(Priority.ROUTINE);
    assertThat(rules.rule(Lane.REFERRAL).owner()).isEqualTo("coordinator");
  }

  @Test
  void aWindowThatIsNotOneOfTheWrittenForms_isRefused() {
    assertThatThrownBy(() ->
            new LaneRules(
                DEFAULTS.hours(),
                Map.of(Priority.URGENT, "soon", Priority.HIGH, "1h", Priority.ROUTINE, "1h"),
                Map.of(),
                "provider"))
        .hasMessage("not a response window: soon");
  }

  static org.careloop.app.TaskRecord task(Priority priority, Instant created, Instant asked) {
    return new org.careloop.app.TaskRecord(
        "k",
        "plan",
        "patient",
        Lane.MONITORING.name(),
        priority.name(),
        "t",
        "d",
        asked,
        created,
        "OPEN",
        java.util.Optional.empty(),
        "",
        "",
        java.util.Optional.empty(),
        java.util.Optional.empty());
  }

  @Test
  void aTaskAskedForWithinADay_onFridayEvening_isDueMondaysClose_notSaturdayEvening() {
    // A decision on Friday 6 March 2026 at 19:00 in Boston asks for an answer within a day:
    // Saturday 19:00. Nothing is due on a weekend: it is due at Monday's close.
    var created = Instant.parse("2026-03-07T00:00:00Z");
    var shaped =
        DEFAULTS.shape(
            task(Priority.HIGH, created, created.plus(java.time.Duration.ofDays(1))),
            BOSTON,
            Set.of());
    assertThat(shaped.respondBy()).isEqualTo(Instant.parse("2026-03-09T21:00:00Z"));
    // On a Tuesday morning the same day's ask is due at Wednesday's close, not Wednesday 09:00.
    var tuesday = Instant.parse("2026-03-10T13:00:00Z");
    assertThat(
            DEFAULTS
                .shape(
                    task(Priority.ROUTINE, tuesday, tuesday.plus(java.time.Duration.ofDays(1))),
                    BOSTON,
                    Set.of())
                .respondBy())
        .isEqualTo(Instant.parse("2026-03-11T21:00:00Z"));
  }
}
