package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.careloop.app.Reads;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.PlanStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo on its day looks like a practice whose people work their cases: a few dozen open, most
 * within their respond-by, none on an ended plan or a booked step, none doubled.
 */
class DemoDayTest {
  static final Instant AS_OF = Instant.parse("2026-12-01T15:00:00Z");
  static Careloop careloop;

  @BeforeAll
  static void load() {
    var generator = new DemoGenerator(42, Integer.parseInt(DemoCommand.PATIENTS), AS_OF);
    careloop =
        Opened.careloop(
            "jdbc:h2:mem:demoday" + System.nanoTime() + ";DB_CLOSE_DELAY=-1",
            Optional.of("simulated"),
            Optional.of(generator.history().get(0).at()),
            4);
    DemoUsers.load(careloop);
    generator.load(careloop);
  }

  @AfterAll
  static void close() {
    if (careloop != null) careloop.close();
  }

  @Test
  void fewOfTheOpenCases_arePastTheirRespondBy() {
    var open = careloop.read().tasks();
    long late = open.stream().filter(t -> t.respondBy().isBefore(AS_OF)).count();
    assertThat(open).as("a few dozen open cases").hasSizeBetween(20, 80);
    assertThat((double) late / open.size())
        .as(late + " of " + open.size() + " open cases past their respond-by")
        .isLessThan(0.15);
  }

  @Test
  void eachPracticeRunsItsPrograms_fedInTheShapesTheirSystemsSend() {
    var plans = careloop.read().plans();
    var byProgram = new java.util.TreeMap<String, Integer>();
    for (var p : plans)
      byProgram.merge(
          careloop.read().plan(p.id()).orElseThrow().state().practiceId() + " " + p.protocol(),
          1,
          Integer::sum);
    assertThat(byProgram.keySet())
        .containsExactly(
            "default post-visit v2",
            "default treatment-plan-follow-up v1",
            "default weekly-recall v1",
            "lakeside dental-unaccepted-treatment v2",
            "lakeside weekly-recall v1");
    assertThat(byProgram.values()).allMatch(n -> n >= 15);
    // Presented treatment moved on in the export: scheduled, completed, declined or expired.
    var dental =
        plans.stream().filter(p -> p.protocol().startsWith("dental-unaccepted-treatment")).toList();
    assertThat(dental)
        .extracting(p ->
            careloop
                .read()
                .plan(p.id())
                .orElseThrow()
                .state()
                .acceptance()
                .map(Enum::name)
                .orElse(p.status()))
        .contains("SCHEDULED", "COMPLETED", "ENDED", "ACTIVE");
    // Varied names.
    assertThat(plans.stream().map(Reads.PlanRow::patient).distinct().count())
        .isGreaterThan(plans.size() / 2);
  }

  @Test
  void everyBookedVisit_isInBusinessHours_onAWeekday() {
    for (var p : careloop.read().plans()) {
      var state = careloop.read().plan(p.id()).orElseThrow().state();
      var zone =
          state.practiceId().equals(DemoUsers.LAKESIDE)
              ? DemoPrograms.LAKESIDE_ZONE
              : DemoGenerator.ZONE;
      for (var m : state.milestones())
        m.appointmentStart()
            .map(s -> s.atZone(zone))
            .ifPresent(s ->
                assertThat(s)
                    .as(p.id() + " " + m.key())
                    .matches(t -> t.getDayOfWeek().getValue() <= 5, "a weekday")
                    .matches(t -> t.getHour() >= 8 && t.getHour() < 18, "08:00 to 18:00"));
    }
  }

  @Test
  void noOpenCase_isOnAnEndedPlan_aBookedStep_orDoubled() {
    var seen = new HashSet<String>();
    for (var t : careloop.read().tasks()) {
      var plan = careloop.read().plan(t.planId()).orElseThrow();
      assertThat(plan.state().status()).as("plan of case " + t.id()).isEqualTo(PlanStatus.ACTIVE);
      assertThat(seen.add(t.planId() + " " + t.milestoneKey().orElse("-") + " " + t.need()))
          .as("a second open case for " + t.need() + " on " + t.planId())
          .isTrue();
      if (Set.of("NOT_BOOKED", "CALL_PATIENT", "MISSED_APPOINTMENT", "BOOKING_REQUEST")
          .contains(t.need()))
        assertThat(
                t.milestoneKey()
                    .flatMap(k -> plan.state().milestone(k))
                    .map(m -> m.status() == MilestoneStatus.SCHEDULED))
            .as("case " + t.id() + " (" + t.need() + ") on a booked step")
            .isNotEqualTo(Optional.of(true));
    }
  }

  @Test
  void thePeopleDocumentedTheirWork_andTheWeeklyReportWasMade() {
    var now = careloop.clock().instant();
    var report = careloop.weeklyCareGapReport().run(now);
    // One report a practice; one notice each, to max of Riverside and lou of Lakeside.
    assertThat(report).isEqualTo(new org.careloop.app.reports.WeeklyCareGapReport.Run(2, 2));
    var reports =
        careloop.store().inTransaction(tx -> tx.careGapReports(Careloop.DEFAULT_PRACTICE));
    assertThat(reports).singleElement().extracting(r -> r.notice()).isEqualTo("SENT");
    assertThat(careloop.read().careGaps(now, careloop.protocols()::of, Optional.empty()))
        .extracting(Reads.GapRow::attempts)
        .anyMatch(a -> a > 0);
  }
}
