package org.careloop.core;

import java.time.Instant;
import java.util.Locale;

/**
 * The treatment-plan follow-up program as a pure function: {@code (state, event, now, protocol) →
 * decision}. The facade over the program's rules, each in a class of its own: {@link Activation},
 * {@link Appointments}, {@link PlanProgress}, {@link PatientReplies}, {@link DeliveryFallback},
 * {@link AgendaFiring} with {@link Touchpoints} and {@link CareGapTiers}, worded by {@link
 * Narration}. The application only stores and carries out what it returns.
 */
public final class PlanDecider {

  private PlanDecider() {}

  /** Activates a new plan: milestones, intake message, board entry, alert when flagged. */
  public static Decision start(PlanOrder order, Instant now, Protocol protocol, Contact contact) {
    var d = Activation.start(order, now, protocol, contact);
    PlanProgress.completeIfAllClosed(d, now);
    AgendaFiring.fireDue(d);
    return d.finish();
  }

  /**
   * Activates a new plan without firing its agenda yet: for a batch whose plans of one patient are
   * all stored before any of them sends (they share one cadence, {@link Cadence}); a {@link
   * PlanEvent.TimerFired} at the same instant then fires what {@link #start} would have.
   */
  public static Decision open(PlanOrder order, Instant now, Protocol protocol, Contact contact) {
    var d = Activation.start(order, now, protocol, contact);
    PlanProgress.completeIfAllClosed(d, now);
    return d.finish();
  }

  /** Applies one event at {@code now}, then fires every agenda item due by {@code now}. */
  public static Decision decide(
      PlanState state, PlanEvent event, Instant now, Protocol protocol, Contact contact) {
    var d = new DecisionDraft(state, now, protocol, contact);
    d.refreshReach();
    if (state.status() != PlanStatus.ACTIVE) {
      if (!(event instanceof PlanEvent.TimerFired)) {
        d.note(
            now,
            "event",
            Narration.describe(event)
                + ": ignored, plan is "
                + state.status().name().toLowerCase(Locale.ROOT));
      }
      return d.finish();
    }
    switch (event) {
      case PlanEvent.AppointmentBooked e -> Appointments.booked(d, e);
      case PlanEvent.AppointmentKept e ->
          Appointments.kept(d, e.appointmentId(), e.milestoneKey(), e.at());
      case PlanEvent.AppointmentMissed e -> Appointments.missed(d, e);
      case PlanEvent.AppointmentCancelled e -> Appointments.cancelled(d, e);
      case PlanEvent.AppointmentWithdrawn e -> Appointments.withdrawn(d, e);
      case PlanEvent.StepCompleted e -> PlanProgress.stepCompleted(d, e);
      case PlanEvent.StepRescheduled e -> PlanProgress.rescheduled(d, e);
      case PlanEvent.ReplyReceived e -> PatientReplies.replied(d, e);
      case PlanEvent.DeliveryFailed e -> DeliveryFallback.deliveryFailed(d, e);
      case PlanEvent.SequenceResumed e -> PatientReplies.resumed(d, e);
      case PlanEvent.TreatmentAccepted e -> PlanProgress.accepted(d, e);
      case PlanEvent.PlanEnded e -> PlanProgress.ended(d, e);
      case PlanEvent.FollowUpStopped e -> PlanProgress.stopped(d, e);
      case PlanEvent.TimerFired e -> {}
    }
    AgendaFiring.fireDue(d);
    return d.finish();
  }
}
