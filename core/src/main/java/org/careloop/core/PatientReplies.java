package org.careloop.core;

import static org.careloop.core.Narration.describe;

import java.time.Duration;
import java.util.Optional;

/**
 * What the patient's reply does: "book" pauses the messages for a while and asks the front desk to
 * book; worse symptoms pause them, ask for an urgent call and tell the provider; free text pauses
 * them until a coordinator has read it and resumes.
 */
final class PatientReplies {

  private PatientReplies() {}

  static void replied(DecisionDraft d, PlanEvent.ReplyReceived e) {
    d.state = d.state.withLastReplyAt(e.at());
    d.note(d.now, "event", describe(e));
    var step = d.state.current();
    if (e.kind() == PlanEvent.ReplyKind.POSITIVE) {
      if (d.state.pause().filter(p -> p.until().isEmpty()).isPresent()) {
        d.note(
            d.now, "decision", "an earlier reply still awaits a coordinator: messages stay paused");
        return;
      }
      var until = d.now.plus(d.protocol.positiveReplyPause());
      d.state =
          d.state.withPause(
              Optional.of(new PlanState.Pause("patient wants to book", d.now, Optional.of(until))));
      d.note(d.now, "decision", "patient wants to book: automated messages paused until " + until);
      d.protocol
          .onPositiveReply()
          .filter(t -> !d.isDone(new Mark.Reengaged(e.at())))
          .ifPresent(t -> {
            d.mark(new Mark.Reengaged(e.at()));
            d.note(d.now, "decision", "re-engaged: the front desk is asked to book the patient");
            d.effects.add(
                new Effect.CreateTask(
                    "task:reengaged:" + e.at().toEpochMilli(),
                    Effect.Need.BOOKING_REQUEST,
                    t.lane(),
                    t.priority(),
                    t.title(),
                    "The patient "
                        + (e.channel() == Channel.SMS ? "replied to book" : "clicked to book")
                        + " ("
                        + e.channel()
                        + ")"
                        + step.map(m -> " for the " + m.kind().patientWords()).orElse("")
                        + ". Book them and record the appointment.",
                    d.now.plus(t.respondWithin()),
                    step.map(Milestone::key).orElse("")));
          });
      return;
    }
    d.state =
        d.state.withPause(
            Optional.of(
                new PlanState.Pause(
                    "patient reply awaits a coordinator", d.now, Optional.empty())));
    if (e.kind() == PlanEvent.ReplyKind.WORSE_SYMPTOMS) {
      d.effects.add(
          new Effect.CreateTask(
              "task:worse:" + e.at().toEpochMilli(),
              Effect.Need.WORSE_SYMPTOMS,
              Lane.MONITORING,
              Priority.URGENT,
              "Patient reports worse symptoms: call now",
              "Reply by "
                  + e.channel()
                  + ": \""
                  + e.text().orElse("")
                  + "\". The provider was told. Automated messages are paused until you resume"
                  + " them.",
              d.now.plus(Duration.ofHours(1)),
              step.map(Milestone::key).orElse(""),
              Effect.Escalation.WORSE_SYMPTOMS));
      d.effects.add(
          new Effect.NotifyProvider(
              "notify:worse:" + e.at().toEpochMilli(),
              step.map(Milestone::key).orElse(""),
              "careloop: the patient reports worse symptoms ("
                  + e.channel()
                  + " reply at "
                  + e.at()
                  + "): \""
                  + e.text().orElse("")
                  + "\". A coordinator was asked to call now."));
      d.note(
          d.now,
          "decision",
          "reply reports worse symptoms: urgent call task, provider notified, automated messages"
              + " paused");
      return;
    }
    d.effects.add(
        new Effect.CreateTask(
            "task:reply:" + e.at().toEpochMilli(),
            Effect.Need.REPLY,
            step.map(m -> m.kind() == StepKind.REFERRAL ? Lane.REFERRAL : Lane.MONITORING)
                .orElse(Lane.MONITORING),
            Priority.HIGH,
            "Patient replied: read and answer",
            "Reply by "
                + e.channel()
                + ": \""
                + e.text().orElse("")
                + "\". Automated messages for this plan are paused until you resume them.",
            d.now.plus(Duration.ofDays(1)),
            step.map(Milestone::key).orElse("")));
    d.note(
        d.now,
        "decision",
        "free-text reply: coordinator task, automated messages paused until a coordinator resumes them");
  }

  static void resumed(DecisionDraft d, PlanEvent.SequenceResumed e) {
    if (d.state.pause().isEmpty()) {
      d.note(d.now, "event", describe(e) + ": nothing was paused");
      return;
    }
    d.state = d.state.withPause(Optional.empty());
    d.note(d.now, "event", describe(e));
  }
}
