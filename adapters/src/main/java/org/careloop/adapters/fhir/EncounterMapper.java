package org.careloop.adapters.fhir;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A finished Encounter: the appointment it fulfilled is kept, and the visit starts the post-visit
 * (or discharge) program with the follow-up ordered during it.
 */
final class EncounterMapper {

  private EncounterMapper() {}

  /** An inpatient or emergency stay that ended with a discharge is a transition of care. */
  static boolean discharge(Encounter enc) {
    return enc.hasHospitalization()
        && enc.getHospitalization().hasDischargeDisposition()
        && List.of("IMP", "ACUTE", "EMER", "NONAC", "SS")
            .contains(enc.getClass_().getCode() == null ? "" : enc.getClass_().getCode());
  }

  /**
   * A finished visit, for the post-visit program (where the practice chose one for
   * encounter-finished): its next step is a follow-up to book, timed by the protocol.
   */
  static Optional<ImportBatch.IncomingPlan> postVisit(
      FhirDocument doc, FhirEntry e, Encounter enc) {
    if (enc.getStatus() != Encounter.EncounterStatus.FINISHED || !enc.hasSubject())
      return Optional.empty();
    boolean discharge = discharge(enc);
    String where = e.path();
    var period = enc.getPeriod();
    var ended =
        period.hasEnd()
            ? Optional.of(period.getEnd().toInstant())
            : period.hasStart()
                ? Optional.of(period.getStart().toInstant())
                : Optional.<Instant>empty();
    if (ended.isEmpty()) return Optional.empty();
    // The next step: the follow-up ordered during the visit, when there is one (its due date
    // drives a recall sequence), else a follow-up timed by the protocol.
    var order = Optional.ofNullable(doc.followUpOf.get(e.key()));
    var step =
        order
            .flatMap(
                o -> ServiceRequestMapper.serviceRequest(doc, o, (ServiceRequest) o.resource()))
            .map(p -> p.steps().get(0))
            .map(s ->
                new OrderedStep(
                    "next-step",
                    s.kind(),
                    s.description(),
                    s.dueAt(),
                    s.interval(),
                    s.completedAt()))
            .orElse(
                new OrderedStep(
                    "next-step",
                    StepKind.VISIT,
                    "Next step after the visit",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty()));
    return Optional.of(
        new ImportBatch.IncomingPlan(
            e.key() + (discharge ? ":discharge" : ":post-visit"),
            doc.ref(enc.getSubject(), where, "subject"),
            ended.get(),
            List.of(step),
            PlanFlags.NONE,
            Optional.empty(),
            true,
            where,
            Optional.of(discharge ? "discharge" : "encounter-finished"),
            Optional.empty(),
            Optional.empty(),
            // The order in this input, and any order of this visit an earlier input brought.
            order
                .map(o -> List.of(o.key(), ImportBatch.followUpOf(e.key())))
                .orElse(List.of(ImportBatch.followUpOf(e.key())))));
  }

  static Optional<ImportBatch.AppointmentUpdate> encounter(
      FhirDocument doc, FhirEntry e, Encounter enc) {
    if (enc.getStatus() != Encounter.EncounterStatus.FINISHED
        || !enc.hasAppointment()
        || !enc.hasSubject()) return Optional.empty();
    String where = e.path();
    String appointmentKey = doc.ref(enc.getAppointmentFirstRep(), where, "appointment");
    String patientKey = doc.ref(enc.getSubject(), where, "subject");
    Optional<Instant> start =
        enc.getPeriod().hasStart()
            ? Optional.of(enc.getPeriod().getStart().toInstant())
            : Optional.empty();
    return Optional.of(
        new ImportBatch.AppointmentUpdate(
            appointmentKey,
            patientKey,
            Optional.empty(),
            Optional.empty(),
            "fulfilled",
            start,
            where,
            Optional.of(e.key() + (discharge(enc) ? ":discharge" : ":post-visit"))));
  }
}
