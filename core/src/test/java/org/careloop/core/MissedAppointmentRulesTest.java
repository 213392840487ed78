package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.core.Effect.CreateTask;
import org.careloop.core.Effect.SendTouchpoint;
import org.junit.jupiter.api.Test;

/** What a missed appointment and a visit with no outcome set off is the protocol's to say. */
class MissedAppointmentRulesTest {

  private static final Protocol.StaffTask FRONT_DESK_CALL =
      new Protocol.StaffTask(
          Lane.PREVENTIVE_RECALL, Priority.ROUTINE, "No-show: call to rebook", Duration.ofDays(3));
  private static final Protocol.StaffTask NURSE_CHECK =
      new Protocol.StaffTask(
          Lane.DISCHARGE, Priority.URGENT, "Did the patient come?", Duration.ofHours(4));

  private static PlanSim sim() {
    var p = TestProtocols.treatmentPlan();
    var protocol =
        TestProtocols.with(
            p,
            new Protocol.MissedAppointment(
                Duration.ofHours(24),
                Duration.ofHours(2),
                2,
                List.of(Channel.EMAIL),
                FRONT_DESK_CALL),
            new Protocol.OutcomeCheck(2, NURSE_CHECK),
            p.gapActions());
    return new PlanSim(
        PlanDeciderTest.order(
            PlanFlags.NONE,
            PlanDeciderTest.SMS_AND_EMAIL,
            PlanDeciderTest.step("pt1", StepKind.THERAPY, 56),
            PlanDeciderTest.step("lab", StepKind.LAB, 42)),
        PlanDeciderTest.T0,
        protocol);
  }

  @Test
  void aMiss_isFollowedUpOnTheProtocolsChannel_andItsOwnTask_afterItsOwnWindow() {
    var sim = sim().advance(Duration.ofDays(3));
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentMissed("appt-1", Optional.empty(), sim.now));
    assertThat(sim.effects(SendTouchpoint.class))
        .filteredOn(t -> t.key().startsWith("missed-outreach:"))
        .singleElement()
        .satisfies(t -> assertThat(t.channel()).isEqualTo(Channel.EMAIL));
    Instant sent = sim.now;
    sim.advanceTo(sent.plus(Duration.ofHours(23)));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
    sim.advanceTo(sent.plus(Duration.ofHours(24)));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.need()).isEqualTo(Effect.Need.MISSED_APPOINTMENT);
          assertThat(t.lane()).isEqualTo(Lane.PREVENTIVE_RECALL);
          assertThat(t.priority()).isEqualTo(Priority.ROUTINE);
          assertThat(t.title()).isEqualTo("No-show: call to rebook");
          assertThat(t.respondBy()).isEqualTo(sent.plus(Duration.ofHours(24 + 72)));
        });
  }

  @Test
  void aVisitWithNoOutcome_waitsTheProtocolsBusinessDays_thenItsOwnTask() {
    var sim = sim().advance(Duration.ofDays(1));
    // Booked for Friday 2026-03-06 10:00 in New York; two business days later is Tuesday 17:00.
    var friday = Instant.parse("2026-03-06T15:00:00Z");
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), friday));
    sim.advanceTo(Instant.parse("2026-03-10T20:59:00Z"));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
    sim.advanceTo(Instant.parse("2026-03-10T21:00:00Z"));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.need()).isEqualTo(Effect.Need.CONFIRM_OUTCOME);
          assertThat(t.lane()).isEqualTo(Lane.DISCHARGE);
          assertThat(t.priority()).isEqualTo(Priority.URGENT);
          assertThat(t.title()).isEqualTo("Did the patient come?");
          assertThat(t.respondBy()).isEqualTo(Instant.parse("2026-03-11T01:00:00Z"));
        });
  }

  @Test
  void theOutcomeWatch_countsThePracticesHolidays_asDaysOff() {
    var sim = sim().advance(Duration.ofDays(1));
    // Christmas Eve and Christmas Day are the practice's holidays.
    sim.patient.rules =
        new SendRules(
            1,
            3,
            java.util.Set.of(
                java.time.LocalDate.of(2026, 12, 24), java.time.LocalDate.of(2026, 12, 25)),
            java.time.ZoneId.of("America/New_York"));
    // Booked for Wednesday 2026-12-23 10:00 in New York: two business days on is Tuesday the 29th.
    sim.on(
        new PlanEvent.AppointmentBooked(
            "appt-1", Optional.empty(), Instant.parse("2026-12-23T15:00:00Z")));
    sim.advanceTo(Instant.parse("2026-12-29T21:59:00Z"));
    assertThat(sim.effects(CreateTask.class))
        .noneMatch(t -> t.need() == Effect.Need.CONFIRM_OUTCOME);
    sim.advanceTo(Instant.parse("2026-12-29T22:00:00Z"));
    assertThat(sim.effects(CreateTask.class))
        .filteredOn(t -> t.need() == Effect.Need.CONFIRM_OUTCOME)
        .hasSize(1);
  }
}
