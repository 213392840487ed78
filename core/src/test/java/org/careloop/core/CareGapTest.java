package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which steps are in a care gap, and in which tier: one answer for the decider and the report. */
class CareGapTest {

  private static final Protocol P = TestProtocols.treatmentPlan();

  @Test
  void aStepPastDue_isInTheTierItsDaysReach_andTheDeciderActedOnThatTier() {
    var sim = PlanDeciderTest.twoSteps();
    var pt1 = sim.state.milestone("pt1").orElseThrow();
    // The first step was due on day 56; 7 days past due is tier 1 of [1, 8, 15, 31], 8 is tier 2.
    sim.advanceTo(pt1.dueAt().plus(Duration.ofDays(7)).plus(Duration.ofHours(1)));
    assertThat(CareGap.of(sim.state, P, sim.now))
        .singleElement()
        .satisfies(g -> {
          assertThat(g.step().key()).isEqualTo("pt1");
          assertThat(g.daysOverdue()).isEqualTo(7);
          assertThat(g.tier()).isEqualTo(1);
          assertThat(g.outcomeUnknown()).isFalse();
        });
    sim.advanceTo(pt1.dueAt().plus(Duration.ofDays(8)).plus(Duration.ofHours(1)));
    assertThat(CareGap.of(sim.state, P, sim.now)).extracting(CareGap::tier).containsExactly(2);
    assertThat(sim.timeline)
        .extracting(TimelineEntry::text)
        .anyMatch(t -> t.startsWith("care gap on step pt1: tier 2 (8–14 days past due"));
  }

  @Test
  void aBookedStep_isAGapOnlyOnceItsOutcomeCheckAskedAPerson() {
    var sim = PlanDeciderTest.twoSteps().advance(Duration.ofDays(1));
    var friday = Instant.parse("2026-03-06T15:00:00Z");
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), friday));
    var pt1 = sim.state.milestone("pt1").orElseThrow();
    // Past due with the visit booked: no gap while the outcome may still come.
    assertThat(CareGap.of(sim.state, P, pt1.dueAt().plus(Duration.ofDays(20)))).isEmpty();
    // Monday 17:00: the outcome check fires; from then on the step is a gap, outcome unknown.
    sim.advanceTo(Instant.parse("2026-03-09T21:00:00Z"));
    assertThat(CareGap.of(sim.state, P, pt1.dueAt().plus(Duration.ofDays(20))))
        .singleElement()
        .satisfies(g -> {
          assertThat(g.step().key()).isEqualTo("pt1");
          assertThat(g.tier()).isEqualTo(3);
          assertThat(g.outcomeUnknown()).isTrue();
        });
  }

  @Test
  void aPlanThatIsNotActive_hasNoGaps() {
    var sim = PlanDeciderTest.twoSteps();
    sim.on(new PlanEvent.PlanEnded("ended at the source", sim.now));
    var lab = sim.state.milestone("lab").orElseThrow();
    assertThat(CareGap.of(sim.state, P, lab.dueAt().plus(Duration.ofDays(40)))).isEmpty();
  }
}
