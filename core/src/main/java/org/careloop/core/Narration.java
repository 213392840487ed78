package org.careloop.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** How the timeline words an event and a day. */
final class Narration {

  private Narration() {}

  /** One line for the plan's timeline saying what arrived. */
  static String describe(PlanEvent event) {
    return switch (event) {
      case PlanEvent.AppointmentBooked e ->
          "appointment " + e.appointmentId() + " booked for " + e.start();
      case PlanEvent.AppointmentKept e -> "appointment " + e.appointmentId() + " kept";
      case PlanEvent.AppointmentMissed e ->
          "appointment " + e.appointmentId() + " missed (no-show)";
      case PlanEvent.AppointmentCancelled e -> "appointment " + e.appointmentId() + " cancelled";
      case PlanEvent.AppointmentWithdrawn e ->
          "appointment " + e.appointmentId() + " entered in error at the source";
      case PlanEvent.StepCompleted e -> "step " + e.milestoneKey() + " reported completed";
      case PlanEvent.StepRescheduled e ->
          "step " + e.milestoneKey() + " now due " + day(e.dueAt()) + " at the source";
      case PlanEvent.ReplyReceived e ->
          "patient replied by "
              + e.channel()
              + switch (e.kind()) {
                case POSITIVE -> " (wants to book)";
                case WORSE_SYMPTOMS -> " (reports worse symptoms)";
                case FREE_TEXT -> " (free text)";
              };
      case PlanEvent.DeliveryFailed e ->
          e.channel() + " message " + e.effectKey() + " failed for good: " + e.reason();
      case PlanEvent.SequenceResumed e -> "automated messages resumed by " + e.by();
      case PlanEvent.TreatmentAccepted e -> "treatment plan " + e.how().words() + " at the source";
      case PlanEvent.PlanEnded e -> "plan ended at the source: " + e.reason();
      case PlanEvent.FollowUpStopped e -> "follow-up stopped by " + e.by() + ": " + e.reason();
      case PlanEvent.TimerFired e -> "wake-up";
    };
  }

  static String day(Instant at) {
    return LocalDate.ofInstant(at, ZoneOffset.UTC).toString();
  }
}
