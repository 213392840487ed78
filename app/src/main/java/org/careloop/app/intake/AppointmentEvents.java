package org.careloop.app.intake;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.AppointmentRef;
import org.careloop.app.Store;
import org.careloop.app.engine.Engine;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanEvent;
import org.careloop.core.StepKind;

/**
 * An appointment in an input, on the step it is for: the step of the order it is based on (or the
 * CarePlan activity that is it), else of the plan it names, else the patient's open step of the
 * kind its service says; only an appointment that says nothing of what it is for goes to the
 * patient's plan's current step. Every FHIR status has its event (docs: the Appointment status
 * table).
 */
final class AppointmentEvents {
  private final Engine engine;

  AppointmentEvents(Engine engine) {
    this.engine = engine;
  }

  Optional<PlanEvent> apply(
      Store.Tx tx,
      String practice,
      ImportBatch.AppointmentUpdate appt,
      java.util.Map<String, String> patientIds,
      Instant now,
      List<String> notes,
      java.util.Set<String> visitPlans) {
    var known = tx.appointment(practice, appt.sourceKey());
    if (known.isPresent() && known.get().lastStatus().equals(appt.status()))
      return Optional.empty();
    // The order it is based on (or the CarePlan activity that is this appointment) names its plan
    // and step (an appointment sent on its own, days after the CarePlan); else the plan it names;
    // else, for an appointment that names nothing, the patient's plan. One based on an order
    // careloop does not follow is not guessed onto a step.
    var ordered =
        appt.planSourceKey()
            .flatMap(k -> tx.stepOfOrder(practice, k))
            // A CarePlan activity may point at the appointment itself.
            .or(() -> tx.stepOfOrder(practice, appt.sourceKey()));
    Optional<String> milestone =
        known
            .flatMap(AppointmentRef::milestoneKey)
            .or(appt::milestoneKey)
            .or(() -> ordered.map(Store.Appointments.OrderStep::stepKey));
    Optional<String> planId =
        known
            .map(AppointmentRef::planId)
            .or(() -> ordered.map(Store.Appointments.OrderStep::planId))
            .or(() -> appt.planSourceKey().flatMap(k -> tx.planIdBySource(practice, k)));
    if (planId.isEmpty() && appt.planSourceKey().isPresent()) {
      notes.add(
          appt.where()
              + ": based on "
              + appt.planSourceKey().get().replaceFirst("^fhir:", "")
              + ", which careloop does not follow; appointment not tracked");
      return Optional.empty();
    }
    var patient =
        Optional.ofNullable(patientIds.get(appt.patientSourceKey()))
            .or(() -> tx.patientIdBySource(practice, appt.patientSourceKey()));
    if (planId.isEmpty() && appt.kind().isPresent() && patient.isPresent()) {
      // What its service says it is for: the patient's open step of that kind, never another.
      var kind = appt.kind().get();
      var step = openStepOfKind(tx, patient.get(), kind, visitPlans);
      if (step.isEmpty()) {
        notes.add(
            appt.where()
                + ": its service says "
                + kind.patientWords()
                + ", and the patient has no open step of that kind; appointment not tracked");
        return Optional.empty();
      }
      planId = Optional.of(step.get().plan());
      milestone = Optional.of(step.get().step());
    }
    if (planId.isEmpty())
      planId =
          patient
              // The visit (or no-show) a plan was started by is not that plan's next step.
              .flatMap(p ->
                  tx.activePlansOfPatient(p).stream()
                      .filter(plan -> !visitPlans.contains(plan))
                      .findFirst());
    if (planId.isEmpty()) {
      notes.add(appt.where() + ": no plan is followed for this patient, appointment not tracked");
      return Optional.empty();
    }
    // An order of several visits (a Timing's dates) is a step per visit: a new appointment for it
    // is the first of them not yet done or booked.
    if (known.isEmpty() && milestone.isPresent()) {
      var first = milestone;
      milestone = nextOfSeries(tx, planId.get(), first.get()).or(() -> first);
    }
    Instant at = appt.start().orElse(now);
    String id = appt.sourceKey();
    Optional<PlanEvent> event =
        switch (appt.status()) {
          case "booked" -> Optional.of(new PlanEvent.AppointmentBooked(id, milestone, at));
          case "fulfilled", "arrived", "checked-in" ->
              Optional.of(new PlanEvent.AppointmentKept(id, milestone, at));
          case "noshow" -> Optional.of(new PlanEvent.AppointmentMissed(id, milestone, at));
          case "cancelled" -> Optional.of(new PlanEvent.AppointmentCancelled(id, milestone, now));
          case "entered-in-error" ->
              known.isPresent()
                  ? Optional.of(new PlanEvent.AppointmentWithdrawn(id, milestone, now))
                  : Optional.empty();
          // proposed, pending, waitlist: asked for, not booked; kept as the appointment's last
          // status so its booking, when it comes, is a change.
          default -> Optional.empty();
        };
    String plan = planId.get();
    tx.saveAppointment(
        practice, new AppointmentRef(appt.sourceKey(), plan, milestone, appt.status()));
    event.ifPresent(e -> engine.apply(tx, plan, e, now));
    return event;
  }

  private static Optional<String> nextOfSeries(Store.Tx tx, String planId, String first) {
    return tx.lockPlan(planId).stream()
        .flatMap(p -> p.state().milestones().stream())
        .filter(m -> OrderedStep.inSeries(first, m.key()))
        .filter(AppointmentEvents::openToBook)
        .map(Milestone::key)
        .findFirst();
  }

  /** A step a new appointment can be for: neither done nor already booked. */
  private static boolean openToBook(Milestone m) {
    return !m.status().isClosed() && m.status() != MilestoneStatus.SCHEDULED;
  }

  private record PlanStep(String plan, String step, Instant due) {}

  /** The patient's open, unbooked step of {@code kind} due first, across their active plans. */
  private static Optional<PlanStep> openStepOfKind(
      Store.Tx tx, String patientId, StepKind kind, java.util.Set<String> visitPlans) {
    return tx.activePlansOfPatient(patientId).stream()
        .filter(p -> !visitPlans.contains(p))
        .flatMap(p -> tx.lockPlan(p).stream())
        .flatMap(p ->
            p.state().milestones().stream()
                .filter(m -> m.kind() == kind && openToBook(m))
                .map(m -> new PlanStep(p.state().planId(), m.key(), m.dueAt())))
        .min(java.util.Comparator.comparing(PlanStep::due).thenComparing(PlanStep::plan));
  }
}
