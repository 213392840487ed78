package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.careloop.app.engine.Engine;
import org.careloop.core.PlanEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One case per need: a patient with no mobile number or email gets one open "call the patient" case
 * for the step however many messages could not go, the care-gap tiers update one case, and booking
 * the step resolves both, with the reason on the plan's timeline.
 */
class CaseLifecycleTest {
  static final Instant T0 = DispatcherTest.T0;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aNeedHasOneOpenCase_updatedByNewerFacts_andResolvedWhenTheStepIsBooked(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      // No mobile number, no email: every automated message becomes a phone call for a person.
      DispatcherTest.importRow(store, engine, "MRN9,Zed Quinn,,,Dr. M,lab,,2026-03-20");
      String plan = Queries.plan("csv:MRN9:lab");
      var q = new Queries(db.dataSource());
      DispatcherTest.sandboxRunner(store, engine, T0)
          .advance(T0, T0.plus(Duration.ofDays(40)), t -> {});

      assertThatPlan(db, plan)
          .openCases()
          .as("one open case per (step, need), however many messages could not go")
          .containsExactly("CALL_PATIENT follow-up", "NOT_BOOKED follow-up");
      assertThat(q.timeline(plan))
          .filteredOn(t -> t.equals("open case updated, not doubled (call patient)"))
          .hasSize(3); // the day-7 and day-14 check-ins and the first care-gap message
      // The later care-gap tier's words are the open case's now.
      assertThatPlan(db, plan)
          .openCase("NOT_BOOKED", "follow-up")
          .extracting(org.careloop.app.Reads.TaskRow::title)
          .asString()
          .startsWith("Care gap: lab test");

      var booked = T0.plus(Duration.ofDays(41));
      store.inTransaction(tx -> {
        engine.apply(
            tx,
            plan,
            new PlanEvent.AppointmentBooked(
                "appt-1", Optional.of("follow-up"), booked.plus(Duration.ofDays(3))),
            booked);
        return null;
      });
      assertThatPlan(db, plan)
          .step("follow-up")
          .isScheduled()
          .hasAppointment("appt-1")
          .plan()
          .openCases()
          .as("booking the step ends both needs")
          .isEmpty();
      assertThat(
              q.strings(
                  "select close_reason from task where plan_id = ? and need in ('CALL_PATIENT', 'NOT_BOOKED')",
                  plan))
          .containsOnly("resolved: step booked");
      assertThat(q.timeline(plan))
          .contains(
              "case resolved itself (call patient): step booked",
              "case resolved itself (not booked): step booked");

      // A reply to read and worse symptoms are not about booking: they stay open. When the plan
      // ends, the reply case ends with it; worse symptoms stay for a person to hear.
      var later = booked.plus(Duration.ofHours(2));
      store.inTransaction(tx -> {
        engine.apply(
            tx,
            plan,
            new PlanEvent.ReplyReceived(
                org.careloop.core.Channel.SMS,
                PlanEvent.ReplyKind.FREE_TEXT,
                Optional.of("which entrance?"),
                later),
            later);
        engine.apply(
            tx,
            plan,
            new PlanEvent.ReplyReceived(
                org.careloop.core.Channel.SMS,
                PlanEvent.ReplyKind.WORSE_SYMPTOMS,
                Optional.of("the pain is worse"),
                later.plusSeconds(60)),
            later.plusSeconds(60));
        return null;
      });
      assertThatPlan(db, plan)
          .openCases()
          .containsExactly("REPLY follow-up", "WORSE_SYMPTOMS follow-up");
      store.inTransaction(tx -> {
        engine.apply(
            tx,
            plan,
            new PlanEvent.PlanEnded("revoked at the source", later),
            later.plusSeconds(120));
        return null;
      });
      assertThatPlan(db, plan)
          .hasStatus(org.careloop.core.PlanStatus.ENDED)
          .openCases()
          .containsExactly("WORSE_SYMPTOMS follow-up");
      assertThat(q.timeline(plan)).contains("case resolved itself (reply): plan ended");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aVisitWithNoOutcome_isConfirmedByAPerson_andTheCaseEndsWhenTheOutcomeComes(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      DispatcherTest.importRow(store, engine, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-20");
      String plan = Queries.plan("csv:MRN1:lab");
      var q = new Queries(db.dataSource());
      var visit = Instant.parse("2026-03-05T15:00:00Z"); // Thursday 10:00 in New York
      store.inTransaction(tx -> {
        engine.apply(
            tx, plan, new PlanEvent.AppointmentBooked("appt-9", Optional.empty(), visit), T0);
        return null;
      });
      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      runner.advance(T0, Instant.parse("2026-03-06T21:59:00Z"), t -> {});
      assertThatPlan(db, plan).step("follow-up").isScheduled().plan().openCases().isEmpty();
      // Friday 17:00 in New York, a business day after the visit, and no outcome: a person asks.
      runner.advance(
          Instant.parse("2026-03-06T21:59:00Z"), Instant.parse("2026-03-06T22:00:00Z"), t -> {});
      assertThatPlan(db, plan).openCases().containsExactly("CONFIRM_OUTCOME follow-up");
      var late = Instant.parse("2026-03-09T14:00:00Z");
      store.inTransaction(tx -> {
        engine.apply(
            tx, plan, new PlanEvent.AppointmentKept("appt-9", Optional.empty(), visit), late);
        return null;
      });
      assertThatPlan(db, plan).step("follow-up").isCompletedAt(visit).plan().openCases().isEmpty();
      assertThat(q.timeline(plan))
          .contains("case resolved itself (confirm outcome): step completed");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void theOutcomeWatch_countsThePracticesOwnWorkingWeekAndClose(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      // A practice open Tuesday to Saturday until 18:00 (its lanes.yaml business hours).
      var d = org.careloop.app.engine.LaneRules.defaults();
      var lanes =
          new org.careloop.app.engine.LaneRules(
              new org.careloop.app.engine.LaneRules.BusinessHours(
                  java.util.EnumSet.range(
                      java.time.DayOfWeek.TUESDAY, java.time.DayOfWeek.SATURDAY),
                  java.time.LocalTime.of(9, 0),
                  java.time.LocalTime.of(18, 0)),
              d.windows(),
              d.lanes(),
              d.worseSymptomsTo());
      var engine = new Engine(Shipped.protocols(), lanes);
      DispatcherTest.importRow(store, engine, "MRN1,Sarah Lee,617-555-0101,,Dr. M,lab,,2026-03-20");
      String plan = Queries.plan("csv:MRN1:lab");
      var visit = Instant.parse("2026-03-06T15:00:00Z"); // Friday 10:00 in New York
      store.inTransaction(tx -> {
        engine.apply(
            tx, plan, new PlanEvent.AppointmentBooked("appt-9", Optional.empty(), visit), T0);
        return null;
      });
      var runner = DispatcherTest.sandboxRunner(store, engine, T0);
      // Saturday is a working day here, and it closes at 18:00 (23:00 UTC): the grace of one
      // business day ends then, not on Monday at 17:00.
      runner.advance(T0, Instant.parse("2026-03-07T22:59:00Z"), t -> {});
      assertThatPlan(db, plan).openCases().isEmpty();
      runner.advance(
          Instant.parse("2026-03-07T22:59:00Z"), Instant.parse("2026-03-07T23:00:00Z"), t -> {});
      assertThatPlan(db, plan).openCases().containsExactly("CONFIRM_OUTCOME follow-up");
    }
  }

  /**
   * A practice that keeps staff tasks in its EHR: each case opened queues its Task write once, each
   * newer fact one more; the same change twice at one instant queues one write (it sends the case
   * as it stands), not a second row that would break the decision's transaction.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aCaseKeptInTheEhr_queuesOneWritePerChange(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = new Engine(Shipped.protocols());
      store.inTransaction(tx -> {
        tx.saveConnection(
            new org.careloop.app.EhrConnection(
                "default",
                "main",
                "http://127.0.0.1:9/fhir",
                org.careloop.app.EhrConnection.Auth.NONE,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                T0,
                Optional.empty(),
                true),
            T0);
        return null;
      });
      DispatcherTest.importRow(store, engine, "MRN9,Zed Quinn,,,Dr. M,lab,,2026-03-20");
      String plan = Queries.plan("csv:MRN9:lab");
      var q = new Queries(db.dataSource());
      var cases = q.strings("select idempotency_key from task where plan_id = ? order by id", plan);
      DispatcherTest.sandboxRunner(store, engine, T0)
          .advance(T0, T0.plus(Duration.ofDays(40)), t -> {});
      var cases40 =
          q.strings("select idempotency_key from task where plan_id = ? order by id", plan);
      assertThat(cases40).hasSizeGreaterThan(cases.size());
      assertThat(q.strings("select idempotency_key from outbox where kind = 'EHR_TASK'"))
          .as("one opening write per case")
          .filteredOn(k -> k.endsWith(":ehr:opened"))
          .containsExactlyInAnyOrderElementsOf(
              cases40.stream().map(k -> k + ":ehr:opened").toList());
      var id =
          Long.parseLong(
              q.strings("select cast(id as varchar(20)) from task where plan_id = ?", plan).get(0));
      int before = q.strings("select idempotency_key from outbox where kind = 'EHR_TASK'").size();
      var at = T0.plus(Duration.ofDays(41));
      store.inTransaction(tx -> {
        org.careloop.app.engine.CaseWrites.changed(tx, id, "updated", at);
        org.careloop.app.engine.CaseWrites.changed(tx, id, "updated", at);
        return null;
      });
      assertThat(q.strings("select idempotency_key from outbox where kind = 'EHR_TASK'"))
          .hasSize(before + 1);
    }
  }
}
