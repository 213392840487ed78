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

  /** A step was done without an appointment we knew of (the source marked the activity done). */
  record StepCompleted(String milestoneKey, Instant at) implements PlanEvent {}

  /** The patient answered a message. */
  record ReplyReceived(Channel channel, Instant at) implements PlanEvent {}

  /** The source ended the plan (revoked, completed, entered in error). */
  record PlanEnded(String reason, Instant at) implements PlanEvent {}

  /** A wake-up came due: nothing happened but the passing of time. */
  record TimerFired() implements PlanEvent {}
}
