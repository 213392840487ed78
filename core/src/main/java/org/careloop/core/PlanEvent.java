package org.careloop.core;

import java.time.Instant;
import java.util.Optional;

/**
 * Something that happened to a plan: from the EHR, from the patient, or the clock. Events are facts
 * in the past tense; adapters translate outside input into them.
 */
public sealed interface PlanEvent {

  /** An appointment was booked for a step (for the plan's current step when no key is given). */
  record AppointmentBooked(String appointmentId, Optional<String> milestoneKey, Instant start)
      implements PlanEvent {}

  /** The patient came to the appointment (status fulfilled or arrived/checked-in/completed). */
  record AppointmentKept(String appointmentId, Optional<String> milestoneKey, Instant at)
      implements PlanEvent {}

  /** The patient did not come (status noshow). */
  record AppointmentMissed(String appointmentId, Optional<String> milestoneKey, Instant at)
      implements PlanEvent {}

  /** The appointment was cancelled; if it is not rebooked soon it counts as missed. */
  record AppointmentCancelled(String appointmentId, Optional<String> milestoneKey, Instant at)
      implements PlanEvent {}

  /**
   * The appointment was entered in error: it never was. The step it held is unbooked, with no miss
   * counted and nothing said to the patient.
   */
  record AppointmentWithdrawn(String appointmentId, Optional<String> milestoneKey, Instant at)
      implements PlanEvent {}

  /** A step was done without an appointment we knew of (the source marked the activity done). */
  record StepCompleted(String milestoneKey, Instant at) implements PlanEvent {}

  /** The source moved a step's due date (next week's recall list names another date). */
  record StepRescheduled(String milestoneKey, Instant dueAt) implements PlanEvent {}

  /** How a patient's answer reads. Opt-out and help words never reach a plan. */
  enum ReplyKind {
    /** BOOK, 1, or a click on a booking link: the patient means to book. */
    POSITIVE,
    /** Anything else: a person has to read it. */
    FREE_TEXT,
    /** Free text reporting worse symptoms: a person must call now, and the provider is told. */
    WORSE_SYMPTOMS
  }

  /**
   * The patient answered a message.
   *
   * @param text what they wrote, for the coordinator's task when it is free text
   */
  record ReplyReceived(Channel channel, ReplyKind kind, Optional<String> text, Instant at)
      implements PlanEvent {}

  /**
   * A message could not be delivered and never will be on that contact point (invalid number,
   * bounced address): the touchpoint it carried is tried again on what is left.
   *
   * @param effectKey the key of the {@link Effect.SendTouchpoint} that failed
   */
  record DeliveryFailed(String effectKey, Channel channel, String reason, Instant at)
      implements PlanEvent {}

  /** A coordinator handled the patient's reply: automated messages may go on. */
  record SequenceResumed(String by, Instant at) implements PlanEvent {}

  /** How far a presented treatment plan has come once the patient said yes. */
  enum Acceptance {
    ACCEPTED("accepted by the patient"),
    SCHEDULED("accepted and scheduled"),
    COMPLETED("completed");

    private final String words;

    Acceptance(String words) {
      this.words = words;
    }

    /** What the chart note and the timeline say. */
    public String words() {
      return words;
    }
  }

  /**
   * The patient accepted a presented treatment plan (the practice system says accepted, scheduled
   * or completed): the follow-up of an unaccepted plan has reached its goal.
   */
  record TreatmentAccepted(Acceptance how, Instant at) implements PlanEvent {}

  /** The source ended the plan (revoked, completed, entered in error). */
  record PlanEnded(String reason, Instant at) implements PlanEvent {}

  /**
   * A provider decided the follow-up is not needed: the plan ends here, as if the source had ended
   * it, and its open cases close with it.
   *
   * @param by the provider's name, for the timeline
   */
  record FollowUpStopped(String by, String reason, Instant at) implements PlanEvent {}

  /** A wake-up came due: nothing happened but the passing of time. */
  record TimerFired() implements PlanEvent {}
}
