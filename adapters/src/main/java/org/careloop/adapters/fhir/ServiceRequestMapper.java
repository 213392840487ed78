package org.careloop.adapters.fhir;

import static org.careloop.adapters.fhir.FhirReader.firstNonBlank;
import static org.careloop.adapters.fhir.FhirReader.timingStart;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.StepKinds;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Type;

/**
 * A ServiceRequest (an order or a referral) on its own as a one-step plan, timed by its occurrence.
 */
final class ServiceRequestMapper {

  private ServiceRequestMapper() {}

  static Optional<ImportBatch.IncomingPlan> serviceRequest(
      FhirDocument doc, FhirEntry e, ServiceRequest sr) {
    String where = e.path();
    if (!sr.hasSubject())
      throw new InputRejected(where + ".subject", "ServiceRequest has no subject");
    String patientKey = doc.ref(sr.getSubject(), where, "subject");
    if (!patientKey.startsWith("fhir:Patient/")) {
      doc.warnings.add(
          where + ": subject is " + patientKey.substring(5) + ", not a Patient; not followed up");
      return Optional.empty();
    }
    if (sr.getStatus() == null)
      throw new InputRejected(where + ".status", "ServiceRequest has no status");
    boolean active = sr.getStatus() == ServiceRequest.ServiceRequestStatus.ACTIVE;
    boolean completed = sr.getStatus() == ServiceRequest.ServiceRequestStatus.COMPLETED;
    Instant orderedAt = sr.hasAuthoredOn() ? sr.getAuthoredOn().toInstant() : Instant.EPOCH;
    Optional<Instant> due = Optional.empty();
    if (sr.hasOccurrence()) {
      Type o = sr.getOccurrence();
      if (o instanceof DateTimeType dt)
        due = Optional.ofNullable(dt.getValue()).map(java.util.Date::toInstant);
      else if (o instanceof Period p)
        due = Optional.ofNullable(p.getStart()).map(java.util.Date::toInstant);
      else if (o instanceof Timing t) due = timingStart(t);
    }
    String words =
        firstNonBlank(
            sr.getCode().getText(),
            sr.getCode().getCodingFirstRep().getDisplay(),
            sr.getCategoryFirstRep().getText(),
            "ordered service");
    String category =
        firstNonBlank(
            sr.getCategoryFirstRep().getText(),
            sr.getCategoryFirstRep().getCodingFirstRep().getDisplay(),
            "");
    StepKind kind = StepKinds.fromWords(category + " " + words);
    var step =
        new OrderedStep(
            "order",
            kind,
            words,
            due,
            Optional.empty(),
            completed ? Optional.of(orderedAt) : Optional.empty());
    Optional<String> provider =
        sr.hasRequester() ? Optional.ofNullable(sr.getRequester().getDisplay()) : Optional.empty();
    boolean urgent =
        sr.getPriority() == ServiceRequest.ServiceRequestPriority.URGENT
            || sr.getPriority() == ServiceRequest.ServiceRequestPriority.STAT;
    return Optional.of(
        new ImportBatch.IncomingPlan(
            e.key(),
            patientKey,
            orderedAt,
            List.of(step),
            new PlanFlags(urgent, false, false),
            provider,
            active,
            where,
            Optional.of(kind == StepKind.REFERRAL ? "referral-created" : "order-created"),
            Optional.empty(),
            Optional.empty(),
            List.of()));
  }
}
