package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.core.PlanDeciderTest.SMS_AND_EMAIL;
import static org.careloop.core.PlanDeciderTest.T0;
import static org.careloop.core.PlanDeciderTest.order;
import static org.careloop.core.PlanDeciderTest.step;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.careloop.core.Effect.CreateTask;
import org.careloop.core.Effect.SendTouchpoint;
import org.careloop.core.Protocol.GapAction;
import org.junit.jupiter.api.Test;

/** What each care-gap tier does is the protocol's to say. */
class CareGapTiersTest {

  static Protocol withGapActions(Protocol p, List<GapAction> actions) {
    return TestProtocols.with(p, p.missedAppointment(), p.outcomeCheck(), actions);
  }

  @Test
  void aProtocolsOwnTiers_callFirst_thenEmail_andNeverTellTheProvider() {
    var protocol =
        withGapActions(
            TestProtocols.treatmentPlan(),
            List.of(
                new GapAction.Task(
                    Optional.of(Lane.PREVENTIVE_RECALL), Priority.ROUTINE, Duration.ofDays(3)),
                new GapAction.Message(Effect.Template.REMINDER, List.of(Channel.EMAIL)),
                new GapAction.Report(),
                new GapAction.Report()));
    var sim =
        new PlanSim(
            order(PlanFlags.NONE, SMS_AND_EMAIL, step("lab", StepKind.LAB, 10)), T0, protocol);
    sim.advance(Duration.ofDays(10 + 40));
    var due = T0.plus(Duration.ofDays(10));

    // Tier 1 is a task in the protocol's lane, due when the protocol says; no text goes out.
    assertThat(sim.effects(CreateTask.class))
        .filteredOn(t -> t.key().equals("task:gap:lab:t1"))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.lane()).isEqualTo(Lane.PREVENTIVE_RECALL);
          assertThat(t.priority()).isEqualTo(Priority.ROUTINE);
          assertThat(t.respondBy())
              .isEqualTo(
                  sim.effectTimes
                      .get(sim.keys().indexOf("task:gap:lab:t1"))
                      .plus(Duration.ofDays(3)));
        });
    assertThat(sim.keys())
        .doesNotContain("gap:lab:t1:SMS", "task:gap:lab:t2", "provider:gap:lab:t3");
    // Tier 2 is an email reminder instead of a coordinator task.
    assertThat(sim.effects(SendTouchpoint.class))
        .filteredOn(t -> t.key().startsWith("gap:lab:t2"))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.channel()).isEqualTo(Channel.EMAIL);
          assertThat(t.template()).isEqualTo(Effect.Template.REMINDER);
        });
    assertThat(sim.effectTimes.get(sim.keys().indexOf("task:gap:lab:t1")))
        .isEqualTo(due.plus(Duration.ofDays(1)));
    assertThat(sim.effects(Effect.NotifyProvider.class)).isEmpty();
  }

  @Test
  void aTierThatSendsNothing_isNotHeldForTheAllowedHours_butAMessageTierIs() {
    // A tier that sends a message waits for the patient's allowed hours; a task does not.
    var task =
        withGapActions(
            TestProtocols.treatmentPlan(),
            List.of(
                new GapAction.Task(Optional.empty(), Priority.HIGH, Duration.ofDays(1)),
                new GapAction.NotifyProvider(),
                new GapAction.NotifyProvider(),
                new GapAction.Report()));
    // Due at 03:00 in New York (after the clocks change): tier 1 comes due at 03:00 a day later.
    var atNight =
        new OrderedStep(
            "lab",
            StepKind.LAB,
            "clinical lab",
            Optional.empty(),
            Optional.of(Duration.ofDays(10).plusHours(16)),
            Optional.empty());
    var withTask = new PlanSim(order(PlanFlags.NONE, SMS_AND_EMAIL, atNight), T0, task);
    withTask.advance(Duration.ofDays(13));
    var withMessage =
        new PlanSim(
            order(PlanFlags.NONE, SMS_AND_EMAIL, atNight), T0, TestProtocols.treatmentPlan());
    withMessage.advance(Duration.ofDays(13));
    var dueAt = T0.plus(Duration.ofDays(11).plusHours(16));
    assertThat(withTask.effectTimes.get(withTask.keys().indexOf("task:gap:lab:t1")))
        .isEqualTo(dueAt);
    // 08:00 EDT, when the allowed hours open.
    assertThat(withMessage.effectTimes.get(withMessage.keys().indexOf("gap:lab:t1:SMS")))
        .isEqualTo(java.time.Instant.parse("2026-03-14T12:00:00Z"));
  }
}
