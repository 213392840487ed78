package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.careloop.core.Effect.CreateTask;
import org.careloop.core.Effect.SendTouchpoint;
import org.junit.jupiter.api.Test;

class PlanDeciderTest {
  static final ZoneId NY = ZoneId.of("America/New_York");
  // 10:00 in New York: inside the allowed hours.
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  static final Protocol P = TestProtocols.treatmentPlan();
  static final Reach SMS_AND_EMAIL = new Reach(true, true, true, Optional.empty(), NY);

  static OrderedStep step(String key, StepKind kind, int days) {
    return new OrderedStep(
        key,
        kind,
        "clinical " + key,
        Optional.empty(),
        Optional.of(Duration.ofDays(days)),
        Optional.empty());
  }

  static PlanOrder order(PlanFlags flags, Reach reach, OrderedStep... steps) {
    return new PlanOrder("plan-1", "practice-1", "patient-1", T0, List.of(steps), flags, reach);
  }

  static PlanSim twoSteps() {
    return new PlanSim(
        order(
            PlanFlags.NONE,
            SMS_AND_EMAIL,
            step("pt1", StepKind.THERAPY, 56),
            step("lab", StepKind.LAB, 42)),
        T0,
        P);
  }

  @Test
  void activation_sendsIntakeAndPostsToBoard_withoutAlertWhenNotFlagged() {
    var sim = twoSteps();
    assertThat(sim.keys()).containsExactly("board:start", "intake:SMS");
    assertThat(sim.state.milestones())
        .extracting(Milestone::dueAt)
        .containsExactly(T0.plus(Duration.ofDays(56)), T0.plus(Duration.ofDays(98)));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
  }

  @Test
  void activation_ofFlaggedPlan_alertsCoordinator() {
    var sim =
        new PlanSim(
            order(new PlanFlags(false, false, true), SMS_AND_EMAIL, step("a", StepKind.VISIT, 30)),
            T0,
            P);
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> assertThat(t.title()).contains("interpreter needed"));
  }

  @Test
  void betweenSteps_checkInsOnDays7_14_21_and42_onTheirChannels() {
    var sim = twoSteps().advance(Duration.ofDays(50));
    var touches = sim.effects(SendTouchpoint.class);
    assertThat(touches)
        .extracting(SendTouchpoint::key)
        .containsExactly(
            "intake:SMS",
            "checkin:pt1:d7:SMS",
            "checkin:pt1:d14:EMAIL",
            "checkin:pt1:d21:SMS",
            "checkin:pt1:d42:SMS",
            "checkin:pt1:d42:EMAIL");
    assertThat(sim.effectTimes.get(sim.keys().indexOf("checkin:pt1:d14:EMAIL")))
        .isEqualTo(T0.plus(Duration.ofDays(14)));
  }

  @Test
  void betweenSteps_stopOnceTheStepIsBooked() {
    var sim = twoSteps().advance(Duration.ofDays(8));
    sim.on(
        new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), T0.plus(Duration.ofDays(40))));
    sim.advance(Duration.ofDays(30));
    assertThat(sim.keys()).doesNotContain("checkin:pt1:d14:EMAIL", "checkin:pt1:d21:SMS");
  }

  @Test
  void kept_completesStep_queuesWriteBack_andStartsTheNextStepFromThatDay() {
    var sim = twoSteps().advance(Duration.ofDays(10));
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentKept("appt-1", Optional.empty(), sim.now));
    assertThat(sim.state.milestones().get(0).status()).isEqualTo(MilestoneStatus.COMPLETED);
    assertThat(sim.state.milestones().get(1).dueAt()).isEqualTo(sim.now.plus(Duration.ofDays(42)));
    assertThat(sim.effects(Effect.WriteBackNote.class))
        .singleElement()
        .satisfies(n ->
            assertThat(n.note()).contains("clinical pt1 completed").contains("Next: lab test"));
    // Check-ins now count from the kept step, for the lab.
    sim.advance(Duration.ofDays(8));
    assertThat(sim.keys()).contains("checkin:lab:d7:SMS");
  }

  @Test
  void missedAppointment_withNoReply_createsCoordinatorTaskAfter48h() {
    var sim = twoSteps().advance(Duration.ofDays(3));
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentMissed("appt-1", Optional.empty(), sim.now));
    assertThat(sim.keys()).contains("missed-outreach:pt1:1:SMS");
    sim.advance(Duration.ofHours(47));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
    sim.advance(Duration.ofHours(1));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.title()).isEqualTo("Care plan step missed, outreach unsuccessful");
          assertThat(t.detail()).contains("2 automated message(s)");
          assertThat(t.lane()).isEqualTo(Lane.MISSED_APPOINTMENT);
        });
  }

  @Test
  void missedAppointmentAtNight_waitsItsFullWindowFromTheMorningText_notFromTheMiss() {
    // A no-show at 22:30 in New York: the text waits for the morning, and the 48 h for a reply
    // count from the text, so the coordinator task comes 48 h after it, not 37 h after it.
    var sim = twoSteps().advanceTo(Instant.parse("2026-03-05T03:30:00Z")); // 22:30, Mar 4
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentMissed("appt-1", Optional.empty(), sim.now));
    assertThat(sim.keys()).doesNotContain("missed-outreach:pt1:1:SMS");
    var textAt = sim.state.milestone("pt1").orElseThrow();
    sim.advanceTo(Instant.parse("2026-03-05T15:00:00Z")); // 10:00 the next morning
    assertThat(sim.keys()).contains("missed-outreach:pt1:1:SMS");
    var sentAt = sim.state.milestone("pt1").orElseThrow().lastTouchAt().orElseThrow();
    assertThat(textAt.lastTouchAt()).isNotEqualTo(Optional.of(sentAt));
    sim.advanceTo(sentAt.plus(Duration.ofHours(47)));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
    sim.advanceTo(sentAt.plus(Duration.ofHours(48)));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> assertThat(t.need()).isEqualTo(Effect.Need.MISSED_APPOINTMENT));
  }

  @Test
  void aBookedVisitWithNoOutcome_asksAPersonABusinessDayLater_thenBecomesACareGap() {
    // Booked for Friday 2026-03-06 10:00 in New York; no outcome ever comes.
    var sim = twoSteps().advance(Duration.ofDays(1));
    var friday = Instant.parse("2026-03-06T15:00:00Z");
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), friday));
    // The end of the next business day after Friday: Monday 17:00 in New York (EDT from March 8).
    sim.advanceTo(Instant.parse("2026-03-09T20:59:00Z"));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
    sim.advanceTo(Instant.parse("2026-03-09T21:00:00Z"));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> {
          assertThat(t.need()).isEqualTo(Effect.Need.CONFIRM_OUTCOME);
          assertThat(t.title()).isEqualTo("Confirm the visit outcome");
          assertThat(t.milestoneKey()).isEqualTo("pt1");
        });
    // Still unknown when the step's care-gap tiers come due: they act, saying why.
    sim.advanceTo(sim.state.milestone("pt1").orElseThrow().dueAt().plus(Duration.ofDays(9)));
    assertThat(sim.timeline)
        .extracting(TimelineEntry::text)
        .anyMatch(t ->
            t.startsWith("care gap on step pt1: tier 2")
                && t.endsWith("the visit's outcome is unknown"));
  }

  @Test
  void aBookedVisitKeptOnTime_isNeverAskedAbout() {
    var sim = twoSteps().advance(Duration.ofDays(1));
    var friday = Instant.parse("2026-03-06T15:00:00Z");
    sim.on(new PlanEvent.AppointmentBooked("appt-1", Optional.empty(), friday));
    sim.advanceTo(friday.plus(Duration.ofHours(2)));
    sim.on(new PlanEvent.AppointmentKept("appt-1", Optional.empty(), friday));
    sim.advance(Duration.ofDays(5));
    assertThat(sim.effects(CreateTask.class))
        .noneMatch(t -> t.need() == Effect.Need.CONFIRM_OUTCOME);
  }

  @Test
  void aCancellationNotRebooked_isAskedToRebook_notToldWeMissedThem() {
    var sim = twoSteps().advance(Duration.ofDays(3));
    sim.on(
        new PlanEvent.AppointmentBooked(
            "appt-1", Optional.empty(), sim.now.plus(Duration.ofDays(2))));
    sim.on(new PlanEvent.AppointmentCancelled("appt-1", Optional.empty(), sim.now));
    sim.advance(Duration.ofHours(6));
    assertThat(sim.effects(SendTouchpoint.class))
        .filteredOn(t -> t.key().startsWith("missed-outreach:"))
        .extracting(t -> t.template().name())
        .containsExactly("CANCELLED_REBOOK");
  }

  @Test
  void missedAppointment_withReply_createsNoTask() {
    var sim = twoSteps().advance(Duration.ofDays(3));
    sim.on(new PlanEvent.AppointmentMissed("appt-1", Optional.empty(), sim.now));
    sim.advance(Duration.ofHours(5));
    sim.on(
        new PlanEvent.ReplyReceived(
            Channel.SMS, PlanEvent.ReplyKind.POSITIVE, Optional.empty(), sim.now));
    sim.advance(Duration.ofDays(3));
    assertThat(sim.effects(CreateTask.class)).isEmpty();
  }

  @Test
  void missedAtNight_outreachWaitsForMorningInPatientZone() {
    var night = Instant.parse("2026-03-05T03:30:00Z"); // 22:30 in New York
    var sim = twoSteps().advanceTo(night);
    sim.on(new PlanEvent.AppointmentMissed("appt-1", Optional.empty(), night));
    assertThat(sim.keys()).doesNotContain("missed-outreach:pt1:1:SMS");
    sim.advanceTo(Instant.parse("2026-03-05T13:00:00Z")); // 08:00 New York
    int i = sim.keys().indexOf("missed-outreach:pt1:1:SMS");
    assertThat(sim.effectTimes.get(i)).isEqualTo(Instant.parse("2026-03-05T13:00:00Z"));
  }

  @Test
  void twoConsecutiveMisses_flagForProviderReview_once() {
    var sim = twoSteps().advance(Duration.ofDays(3));
    sim.on(new PlanEvent.AppointmentMissed("a1", Optional.empty(), sim.now));
    sim.advance(Duration.ofDays(1));
    sim.on(new PlanEvent.AppointmentBooked("a2", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentMissed("a2", Optional.empty(), sim.now));
    sim.on(new PlanEvent.AppointmentMissed("a2", Optional.empty(), sim.now));
    assertThat(sim.effects(Effect.FlagForProviderReview.class)).hasSize(1);
    assertThat(sim.state.providerReviewFlagged()).isTrue();
  }

  @Test
  void cancelledAndNotRebooked_countsAsMissedAfterGrace_butRebookingStopsIt() {
    var sim = twoSteps().advance(Duration.ofDays(3));
    sim.on(
        new PlanEvent.AppointmentBooked("a1", Optional.empty(), sim.now.plus(Duration.ofDays(2))));
    sim.on(new PlanEvent.AppointmentCancelled("a1", Optional.empty(), sim.now));
    sim.advance(Duration.ofHours(3));
    assertThat(sim.state.milestones().get(0).status()).isEqualTo(MilestoneStatus.MISSED);
    assertThat(sim.keys()).contains("missed-outreach:pt1:1:SMS");

    var other = twoSteps().advance(Duration.ofDays(3));
    other.on(
        new PlanEvent.AppointmentBooked(
            "a1", Optional.empty(), other.now.plus(Duration.ofDays(2))));
    other.on(new PlanEvent.AppointmentCancelled("a1", Optional.empty(), other.now));
    other.on(
        new PlanEvent.AppointmentBooked(
            "a2", Optional.empty(), other.now.plus(Duration.ofDays(5))));
    other.advance(Duration.ofHours(3));
    assertThat(other.state.milestones().get(0).status()).isEqualTo(MilestoneStatus.SCHEDULED);
    assertThat(other.keys()).noneMatch(k -> k.startsWith("missed"));
  }

  @Test
  void careGap_tiersFireInOrder_andCloseOnCompletion() {
    var sim =
        new PlanSim(order(PlanFlags.NONE, SMS_AND_EMAIL, step("lab", StepKind.LAB, 10)), T0, P);
    sim.advance(Duration.ofDays(10 + 40));
    var due = T0.plus(Duration.ofDays(10));
    assertThat(sim.keys())
        .containsSubsequence("gap:lab:t1:SMS", "task:gap:lab:t2", "provider:gap:lab:t3");
    assertThat(sim.effectTimes.get(sim.keys().indexOf("task:gap:lab:t2")))
        .isEqualTo(due.plus(Duration.ofDays(8)));
    assertThat(sim.effectTimes.get(sim.keys().indexOf("provider:gap:lab:t3")))
        .isEqualTo(due.plus(Duration.ofDays(15)));
    assertThat(sim.timeline)
        .anyMatch(e ->
            e.text().contains("weekly care-gap report")
                && e.at().equals(due.plus(Duration.ofDays(31))));
    assertThat(sim.state.milestones().get(0).status()).isEqualTo(MilestoneStatus.OVERDUE);
    sim.on(new PlanEvent.StepCompleted("lab", sim.now));
    assertThat(sim.state.status()).isEqualTo(PlanStatus.COMPLETED);
    assertThat(sim.timeline)
        .anyMatch(e -> e.text().contains("care gap on step lab closed after 40 day(s)"));
    assertThat(sim.wakeup).isEmpty();
  }

  @Test
  void lateImport_anchorsAtImport_andDueInPastGetsOnlyTheCurrentTier() {
    var old =
        new PlanOrder(
            "p",
            "pr",
            "pa",
            T0.minus(Duration.ofDays(400)),
            List.of(
                new OrderedStep(
                    "x",
                    StepKind.VISIT,
                    "visit",
                    Optional.of(T0.minus(Duration.ofDays(20))),
                    Optional.empty(),
                    Optional.empty())),
            PlanFlags.NONE,
            SMS_AND_EMAIL);
    var sim = new PlanSim(old, T0, P);
    // 20 days past due: tier 3 applies now; tiers 1 and 2 are superseded, not replayed.
    assertThat(sim.keys())
        .contains("provider:gap:x:t3")
        .doesNotContain("gap:x:t1:SMS", "task:gap:x:t2");
    assertThat(sim.timeline)
        .anyMatch(e -> e.kind().equals("skipped") && e.text().startsWith("gap:x:t1"));
  }

  @Test
  void noMobileNoEmail_becomesPhoneTask() {
    var sim =
        new PlanSim(
            order(
                PlanFlags.NONE,
                new Reach(false, false, true, Optional.empty(), NY),
                step("a", StepKind.VISIT, 30)),
            T0,
            P);
    assertThat(sim.effects(SendTouchpoint.class)).isEmpty();
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> assertThat(t.title()).startsWith("Call the patient"));
  }

  @Test
  void decide_isDeterministic() {
    var a = twoSteps().advance(Duration.ofDays(100));
    var b = twoSteps().advance(Duration.ofDays(100));
    assertThat(a.effects).isEqualTo(b.effects);
    assertThat(a.state).isEqualTo(b.state);
    assertThat(a.timeline).isEqualTo(b.timeline);
  }

  @Test
  void preferredChannel_comesBeforeTheProtocols_andIsRecorded() {
    var prefersEmail = new Reach(true, true, true, Optional.of(Channel.EMAIL), NY);
    var sim = new PlanSim(order(PlanFlags.NONE, prefersEmail, step("a", StepKind.LAB, 60)), T0, P);
    sim.advance(Duration.ofDays(45));
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly(
            "intake:EMAIL",
            "checkin:a:d7:EMAIL",
            "checkin:a:d14:EMAIL",
            "checkin:a:d21:EMAIL",
            "checkin:a:d42:EMAIL");
    assertThat(sim.timeline)
        .anyMatch(e -> e.text().equals("intake: sent by EMAIL, the patient's preferred channel"));
    // A preference the patient cannot be reached on does not count.
    var prefersSmsWithoutMobile = new Reach(false, true, true, Optional.of(Channel.SMS), NY);
    var other =
        new PlanSim(
            order(PlanFlags.NONE, prefersSmsWithoutMobile, step("a", StepKind.LAB, 60)), T0, P);
    assertThat(other.keys()).contains("intake:EMAIL");
  }
}
