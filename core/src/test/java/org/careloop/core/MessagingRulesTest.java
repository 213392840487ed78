package org.careloop.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.core.PlanDeciderTest.NY;
import static org.careloop.core.PlanDeciderTest.P;
import static org.careloop.core.PlanDeciderTest.SMS_AND_EMAIL;
import static org.careloop.core.PlanDeciderTest.T0;
import static org.careloop.core.PlanDeciderTest.order;
import static org.careloop.core.PlanDeciderTest.step;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.careloop.core.Effect.CreateTask;
import org.careloop.core.Effect.SendTouchpoint;
import org.junit.jupiter.api.Test;

/** One example per messaging rule, each with the timeline line that explains it. */
class MessagingRulesTest {

  static PlanSim plan(Reach reach, Protocol protocol, PlanSim.Patient patient) {
    return new PlanSim(
        order(PlanFlags.NONE, reach, step("lab", StepKind.LAB, 56)), T0, protocol, patient);
  }

  static List<String> timeline(PlanSim sim, String kind) {
    return sim.timeline.stream()
        .filter(e -> e.kind().equals(kind))
        .map(TimelineEntry::text)
        .toList();
  }

  @Test
  void smsOptOut_fallsBackToEmail_andBothOut_giveOnePersonalTask() {
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    patient.optedOut.add(Channel.SMS);
    var sim = plan(SMS_AND_EMAIL, P, patient);
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:EMAIL");
    assertThat(timeline(sim, "decision"))
        .contains("intake: patient opted out of SMS, sent by EMAIL");

    patient.optedOut.add(Channel.EMAIL);
    sim.advance(Duration.ofDays(22));
    assertThat(sim.effects(SendTouchpoint.class)).hasSize(1);
    assertThat(timeline(sim, "skipped"))
        .contains("checkin:lab:d7: not sent, the patient opted out of [SMS, EMAIL]")
        .contains("checkin:lab:d21: not sent, the patient opted out of [SMS, EMAIL]");
    assertThat(sim.effects(CreateTask.class))
        .extracting(CreateTask::key)
        .containsExactly("task:optout:lab");
  }

  @Test
  void floridaPatient_getsNoTextAfter20h_evenThoughTheDefaultAllows21h() {
    // 20:30 in Miami.
    Instant evening = Instant.parse("2026-03-03T01:30:00Z");
    var florida = new Reach(true, true, true, Optional.empty(), NY, Optional.of("FL"));
    var sim =
        new PlanSim(
            new PlanOrder(
                "p",
                "pr",
                "pa",
                evening,
                List.of(step("lab", StepKind.LAB, 56)),
                PlanFlags.NONE,
                florida),
            evening,
            P);
    assertThat(sim.effects(SendTouchpoint.class)).isEmpty();
    assertThat(timeline(sim, "deferred"))
        .containsExactly(
            "intake: not sent now, quiet hours (08:00–20:00); deferred to 2026-03-03T13:00:00Z");
    assertThat(sim.wakeup).contains(Instant.parse("2026-03-03T13:00:00Z"));

    var elsewhere =
        new PlanSim(
            order(PlanFlags.NONE, SMS_AND_EMAIL, step("lab", StepKind.LAB, 56)), evening, P);
    assertThat(elsewhere.effects(SendTouchpoint.class)).hasSize(1);
  }

  @Test
  void sendWindowAndHoliday_holdTheMessageToTheNextOpenMinute() {
    // Monday 2026-03-02 10:00 New York is a practice holiday; Tuesday the window opens at 10:00.
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    patient.rules = new SendRules(1, 3, Set.of(LocalDate.of(2026, 3, 2)), NY);
    var windowed =
        P.withSendWindow(
            Optional.of(
                new SendWindow(SendWindow.WEEKDAYS, LocalTime.of(10, 0), LocalTime.of(14, 0))));
    var sim = plan(SMS_AND_EMAIL, windowed, patient);
    assertThat(sim.effects(SendTouchpoint.class)).isEmpty();
    assertThat(timeline(sim, "deferred"))
        .containsExactly(
            "intake: not sent now, practice holiday 2026-03-02; deferred to 2026-03-03T15:00:00Z");
    sim.advance(Duration.ofDays(1));
    assertThat(sim.effectTimes.get(sim.effects.size() - 1))
        .isEqualTo(Instant.parse("2026-03-03T15:00:00Z"));
  }

  @Test
  void frequencyCap_acrossPlans_defersTheSecondPlansIntake_byADay() {
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    var first = plan(SMS_AND_EMAIL, P, patient);
    var second =
        new PlanSim(
            new PlanOrder(
                "plan-2",
                "pr",
                "patient-1",
                T0,
                List.of(step("xray", StepKind.IMAGING, 30)),
                PlanFlags.NONE,
                SMS_AND_EMAIL),
            T0.plus(Duration.ofHours(1)),
            P,
            patient);
    assertThat(first.effects(SendTouchpoint.class)).hasSize(1);
    assertThat(second.effects(SendTouchpoint.class)).isEmpty();
    assertThat(timeline(second, "deferred"))
        .containsExactly(
            "intake: not sent now, frequency cap (1 a day); deferred to 2026-03-03T15:00:00Z");
    second.advance(Duration.ofDays(1));
    assertThat(second.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:SMS");
  }

  @Test
  void freeTextReply_givesACoordinatorTaskWithTheText_andPausesUntilResumed() {
    var sim = plan(SMS_AND_EMAIL, P, new PlanSim.Patient(SMS_AND_EMAIL));
    sim.advance(Duration.ofDays(1));
    sim.on(
        new PlanEvent.ReplyReceived(
            Channel.SMS,
            PlanEvent.ReplyKind.FREE_TEXT,
            Optional.of("is this about my knee?"),
            sim.now));
    assertThat(sim.effects(CreateTask.class))
        .singleElement()
        .satisfies(t -> assertThat(t.detail()).contains("\"is this about my knee?\""));
    sim.advance(Duration.ofDays(10));
    assertThat(sim.effects(SendTouchpoint.class)).hasSize(1);
    assertThat(timeline(sim, "skipped"))
        .contains(
            "checkin:lab:d7: not sent, automated messages paused (patient reply awaits a coordinator)");

    sim.on(new PlanEvent.SequenceResumed("coordinator ana", sim.now));
    sim.advance(Duration.ofDays(5));
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:SMS", "checkin:lab:d14:EMAIL");
  }

  @Test
  void positiveReply_pausesForAWeek_thenMessagesResume() {
    var sim = plan(SMS_AND_EMAIL, P, new PlanSim.Patient(SMS_AND_EMAIL));
    sim.advance(Duration.ofDays(5));
    sim.on(
        new PlanEvent.ReplyReceived(
            Channel.SMS, PlanEvent.ReplyKind.POSITIVE, Optional.empty(), sim.now));
    sim.advance(Duration.ofDays(20));
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:SMS", "checkin:lab:d14:EMAIL", "checkin:lab:d21:SMS");
    assertThat(timeline(sim, "decision"))
        .anyMatch(t -> t.startsWith("pause ended (patient wants to book)"));
  }

  @Test
  void hardFailure_resendsTheTouchpointByEmail_once() {
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    var sim = plan(SMS_AND_EMAIL, P, patient);
    // The number is invalid: the application drops it and removes the outreach from the caps.
    patient.reach = new Reach(false, true, true, Optional.empty(), NY);
    patient.outreach.clear();
    sim.on(
        new PlanEvent.DeliveryFailed("intake:SMS", Channel.SMS, "21211 invalid number", sim.now));
    sim.on(
        new PlanEvent.DeliveryFailed("intake:SMS", Channel.SMS, "21211 invalid number", sim.now));
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:SMS", "intake:EMAIL");
    assertThat(timeline(sim, "decision")).contains("intake: no SMS on file, sent by EMAIL");
  }

  @Test
  void marketingTemplate_needsConsent() {
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    var offer =
        P.withTouches(
            List.of(new Protocol.Touch(3, Set.of(Channel.EMAIL), Effect.Template.FINANCING_OFFER)));
    var sim = plan(SMS_AND_EMAIL, offer, patient).advance(Duration.ofDays(4));
    assertThat(sim.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .containsExactly("intake:SMS");
    assertThat(timeline(sim, "skipped"))
        .contains(
            "checkin:lab:d3: not sent, financing_offer is marketing and the patient has no marketing consent on file");

    var consenting = new PlanSim.Patient(SMS_AND_EMAIL);
    consenting.marketingConsent = true;
    var sent = plan(SMS_AND_EMAIL, offer, consenting).advance(Duration.ofDays(4));
    assertThat(sent.effects(SendTouchpoint.class))
        .extracting(SendTouchpoint::key)
        .contains("checkin:lab:d3:EMAIL");
  }

  @Test
  void atSend_theFrequencyCapsCountWhatWasReallySent_butNotAPersonsOneOff() {
    var patient = new PlanSim.Patient(SMS_AND_EMAIL);
    var sim = plan(SMS_AND_EMAIL, P, patient);
    Instant now = T0.plus(Duration.ofDays(1));
    assertThat(SendCheck.atSend(sim.state, P, patient.contact(), Channel.SMS, true, List.of(), now))
        .isEqualTo(new SendCheck.Verdict.Send());
    // Another plan's text went out two hours ago (its send was late, after an outage): this one
    // waits until a day after it.
    var sent = List.of(now.minus(Duration.ofHours(2)));
    assertThat(SendCheck.atSend(sim.state, P, patient.contact(), Channel.SMS, true, sent, now))
        .isEqualTo(
            new SendCheck.Verdict.Hold(now.plus(Duration.ofHours(22)), "frequency cap (1 a day)"));
    assertThat(SendCheck.atSend(sim.state, P, patient.contact(), Channel.SMS, false, sent, now))
        .isEqualTo(new SendCheck.Verdict.Send());
  }
}
