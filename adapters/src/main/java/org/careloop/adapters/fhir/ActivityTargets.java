package org.careloop.adapters.fhir;

import static org.careloop.adapters.fhir.FhirReader.firstNonBlank;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.StepKinds;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * What a CarePlan activity that points at another resource (the usual US Core shape: a
 * ServiceRequest, a MedicationRequest, an Appointment or a Task, by urn:uuid or relative reference)
 * says of its step: the target's own name, kind, date and status, read from the target when the
 * input carries it; the reference's display otherwise.
 */
final class ActivityTargets {
  private ActivityTargets() {}

  /**
   * One activity as a step.
   *
   * @param words the clinical name (blank when none is known)
   * @param kind the kind, when the source says it; else it is read from the words
   * @param dropped cancelled, revoked or entered in error: not followed up
   * @param completed the source reports it done
   * @param completedAt when, if the source says
   */
  record Step(
      String words,
      Optional<StepKind> kind,
      FhirDates.Window window,
      boolean dropped,
      boolean completed,
      Optional<Instant> completedAt,
      java.util.List<Instant> series) {

    /** A step of one visit. */
    Step(
        String words,
        Optional<StepKind> kind,
        FhirDates.Window window,
        boolean dropped,
        boolean completed,
        Optional<Instant> completedAt) {
      this(words, kind, window, dropped, completed, completedAt, java.util.List.of());
    }
  }

  /**
   * @param key the careloop key {@code reference} resolves to
   */
  static Step referenced(
      FhirDocument doc, String key, Reference reference, String where, ZoneId zone) {
    var entry = doc.byKey.get(key);
    String display = firstNonBlank(reference.getDisplay());
    if (entry == null) {
      doc.warnings.add(
          where
              + ".reference: "
              + key.substring(5)
              + " is not in this input; its name and date are not known here");
      return new Step(
          display, Optional.empty(), FhirDates.Window.NONE, false, false, Optional.empty());
    }
    return switch (entry.resource()) {
      case ServiceRequest sr -> serviceRequest(sr, display, zone, entry.path());
      case MedicationRequest mr -> medicationRequest(mr, display);
      case Appointment ap -> appointment(ap, display);
      case Task t -> task(t, display, zone);
      default ->
          new Step(
              display, Optional.empty(), FhirDates.Window.NONE, false, false, Optional.empty());
    };
  }

  private static Step serviceRequest(ServiceRequest sr, String display, ZoneId zone, String where) {
    String words = firstNonBlank(ServiceRequestMapper.words(sr), display);
    var status = sr.getStatus();
    return new Step(
        words,
        Optional.of(ServiceRequestMapper.kind(sr, words)),
        FhirDates.window(sr.getOccurrence(), zone),
        status == ServiceRequest.ServiceRequestStatus.REVOKED
            || status == ServiceRequest.ServiceRequestStatus.ENTEREDINERROR,
        status == ServiceRequest.ServiceRequestStatus.COMPLETED,
        Optional.empty(),
        FhirDates.series(sr.getOccurrence(), zone, where + ".occurrenceTiming"));
  }

  private static Step medicationRequest(MedicationRequest mr, String display) {
    String words =
        firstNonBlank(
            mr.hasMedicationCodeableConcept() ? text(mr.getMedicationCodeableConcept()) : null,
            mr.hasMedicationReference() ? mr.getMedicationReference().getDisplay() : null,
            display,
            "medication");
    var status = mr.getStatus();
    return new Step(
        words,
        Optional.of(StepKind.MEDICATION_CHECK),
        FhirDates.Window.NONE,
        status == MedicationRequest.MedicationRequestStatus.CANCELLED
            || status == MedicationRequest.MedicationRequestStatus.STOPPED
            || status == MedicationRequest.MedicationRequestStatus.ENTEREDINERROR,
        status == MedicationRequest.MedicationRequestStatus.COMPLETED,
        Optional.empty());
  }

  private static Step appointment(Appointment ap, String display) {
    String words =
        firstNonBlank(
            text(ap.getServiceTypeFirstRep()),
            text(ap.getAppointmentType()),
            ap.getDescription(),
            text(ap.getReasonCodeFirstRep()),
            display);
    StepKind byWords = StepKinds.fromWords(words);
    Optional<Instant> start = Optional.ofNullable(ap.getStart()).map(java.util.Date::toInstant);
    Optional<Instant> end = Optional.ofNullable(ap.getEnd()).map(java.util.Date::toInstant);
    var status = ap.getStatus();
    return new Step(
        words,
        Optional.of(byWords == StepKind.OTHER ? StepKind.VISIT : byWords),
        new FhirDates.Window(start, end),
        status == Appointment.AppointmentStatus.ENTEREDINERROR,
        status == Appointment.AppointmentStatus.FULFILLED,
        end.or(() -> start));
  }

  private static Step task(Task t, String display, ZoneId zone) {
    String words = firstNonBlank(text(t.getCode()), t.getDescription(), display);
    // When it is to be done: the end of its allowed period, else when work on it starts.
    var window =
        t.getRestriction().hasPeriod()
            ? FhirDates.period(t.getRestriction().getPeriod(), zone)
            : t.hasExecutionPeriod()
                ? FhirDates.period(t.getExecutionPeriod(), zone)
                : FhirDates.Window.NONE;
    if (t.getRestriction().hasPeriod() && t.getRestriction().getPeriod().hasEnd())
      window = new FhirDates.Window(window.end(), window.end());
    var status = t.getStatus();
    Optional<Instant> doneAt =
        t.hasExecutionPeriod() && t.getExecutionPeriod().hasEnd()
            ? FhirDates.due(t.getExecutionPeriod().getEndElement(), zone)
            : Optional.ofNullable(t.getLastModified()).map(java.util.Date::toInstant);
    return new Step(
        words,
        Optional.empty(),
        window,
        status == Task.TaskStatus.CANCELLED
            || status == Task.TaskStatus.REJECTED
            || status == Task.TaskStatus.ENTEREDINERROR
            || status == Task.TaskStatus.FAILED,
        status == Task.TaskStatus.COMPLETED,
        status == Task.TaskStatus.COMPLETED ? doneAt : Optional.empty());
  }

  private static @org.jspecify.annotations.Nullable String text(CodeableConcept c) {
    return firstNonBlank(c.getText(), c.getCodingFirstRep().getDisplay());
  }
}
