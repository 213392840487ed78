package org.careloop.adapters.fhir;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.Appointment;

/**
 * An Appointment: booked, kept, missed or cancelled for the step it serves; a no-show starts the
 * no-show program where a practice runs one.
 */
final class AppointmentMapper {

  private AppointmentMapper() {}

  /**
   * A missed appointment, for a protocol that recovers no-shows of patients careloop follows
   * nothing else for (where the practice chose one for appointment-no-show).
   */
  static Optional<ImportBatch.IncomingPlan> noShow(FhirDocument doc, FhirEntry e, Appointment a) {
    if (a.getStatus() != Appointment.AppointmentStatus.NOSHOW || !a.hasStart())
      return Optional.empty();
    String patientKey = null;
    for (var p : a.getParticipant())
      if (p.hasActor() && p.getActor().getReference() != null) {
        String k = doc.ref(p.getActor(), e.path(), "actor");
        if (k.startsWith("fhir:Patient/")) patientKey = k;
      }
    if (patientKey == null) return Optional.empty();
    var step =
        new OrderedStep(
            "rebook",
            StepKind.VISIT,
            "Rebook the missed appointment",
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    return Optional.of(
        new ImportBatch.IncomingPlan(
            e.key() + ":no-show",
            patientKey,
            a.getStart().toInstant(),
            List.of(step),
            PlanFlags.NONE,
            Optional.empty(),
            true,
            e.path(),
            Optional.of("appointment-no-show"),
            Optional.empty(),
            Optional.empty(),
            List.of()));
  }

  static Optional<ImportBatch.AppointmentUpdate> appointment(
      FhirDocument doc, FhirEntry e, Appointment a) {
    String where = e.path();
    if (a.getStatus() == null)
      throw new InputRejected(where + ".status", "Appointment has no status");
    String patientKey = null;
    var participants = a.getParticipant();
    for (int i = 0; i < participants.size(); i++) {
      var p = participants.get(i);
      if (p.hasActor()) {
        String k = doc.ref(p.getActor(), where + ".participant[" + i + "]", "actor");
        if (k.startsWith("fhir:Patient/")) patientKey = k;
      }
    }
    if (patientKey == null)
      throw new InputRejected(where + ".participant", "Appointment has no Patient participant");
    Optional<String> planKey = Optional.empty(), stepKey = Optional.empty();
    var link = doc.activityOf.get(e.key());
    if (link != null) {
      planKey = Optional.of(link[0]);
      stepKey = Optional.of(link[1]);
    } else {
      for (var b : a.getBasedOn()) {
        String k = doc.ref(b, where, "basedOn");
        var viaPlan = doc.activityOf.get(k);
        planKey = viaPlan != null ? Optional.of(viaPlan[0]) : Optional.of(k);
        if (viaPlan != null) stepKey = Optional.of(viaPlan[1]);
        break;
      }
    }
    Optional<Instant> start = Optional.ofNullable(a.getStart()).map(java.util.Date::toInstant);
    return Optional.of(
        new ImportBatch.AppointmentUpdate(
            e.key(),
            patientKey,
            planKey,
            stepKey,
            a.getStatus().toCode(),
            start,
            where,
            Optional.empty(),
            planKey.isEmpty() ? kindOf(a) : Optional.empty()));
  }

  /**
   * The kind of step an appointment that names no order is for, from what it says of its service
   * (service category, service type, specialty, then its reason): a coded category careloop knows,
   * else the words of a coding's display or the text. Empty when none says anything more than "an
   * appointment".
   */
  static Optional<StepKind> kindOf(Appointment a) {
    var concepts = new java.util.ArrayList<org.hl7.fhir.r4.model.CodeableConcept>();
    concepts.addAll(a.getServiceCategory());
    concepts.addAll(a.getServiceType());
    concepts.addAll(a.getSpecialty());
    concepts.addAll(a.getReasonCode());
    for (var c : concepts) {
      for (var coding : c.getCoding()) {
        var coded = org.careloop.adapters.StepKinds.fromCode(coding.getSystem(), coding.getCode());
        if (coded.isPresent()) return coded;
      }
      var words = new java.util.ArrayList<String>();
      if (c.hasText()) words.add(c.getText());
      for (var coding : c.getCoding()) if (coding.hasDisplay()) words.add(coding.getDisplay());
      for (String w : words) {
        var kind = org.careloop.adapters.StepKinds.fromWords(w);
        if (kind != StepKind.OTHER) return Optional.of(kind);
      }
    }
    return Optional.empty();
  }
}
