package org.careloop.adapters.fhir;

import static org.careloop.adapters.fhir.FhirReader.firstNonBlank;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.StepKinds;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.ServiceRequest;

/**
 * A ServiceRequest (an order or a referral) on its own as a one-step plan, timed by its occurrence.
 */
final class ServiceRequestMapper {

  private ServiceRequestMapper() {}

  /** The order's own name: its code's text or display, else its category's. */
  static String words(ServiceRequest sr) {
    return firstNonBlank(
        sr.getCode().getText(),
        sr.getCode().getCodingFirstRep().getDisplay(),
        sr.getCategoryFirstRep().getText(),
        sr.getCategoryFirstRep().getCodingFirstRep().getDisplay());
  }

  /**
   * The kind of step an order is: its coded category (SNOMED CT, as US Core codes it) first, then
   * the words of its category and name; an order coded in LOINC is a lab test.
   */
  static StepKind kind(ServiceRequest sr, String words) {
    for (var category : sr.getCategory())
      for (var c : category.getCoding()) {
        var known = StepKinds.fromCode(c.getSystem(), c.getCode());
        if (known.isPresent()) return known.get();
      }
    String category =
        firstNonBlank(
            sr.getCategoryFirstRep().getText(),
            sr.getCategoryFirstRep().getCodingFirstRep().getDisplay(),
            "");
    StepKind byWords = StepKinds.fromWords(category + " " + words);
    if (byWords == StepKind.OTHER
        && sr.getCode().getCoding().stream()
            .anyMatch(c -> "http://loinc.org".equals(c.getSystem()))) return StepKind.LAB;
    return byWords;
  }

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
    var zone = doc.zoneOf(patientKey);
    Instant orderedAt = FhirDates.happened(sr.getAuthoredOnElement(), zone).orElse(Instant.EPOCH);
    Optional<Instant> due = FhirDates.window(sr.getOccurrence(), zone).due();
    String words = firstNonBlank(words(sr), "ordered service");
    StepKind kind = kind(sr, words);
    // A Timing of several dates (six PT sessions, weekly) is a step per date: "order", "order#2".
    var dates = FhirDates.series(sr.getOccurrence(), zone, where + ".occurrenceTiming");
    var steps = new java.util.ArrayList<OrderedStep>();
    if (dates.isEmpty()) dates = due.map(List::of).orElse(List.of());
    for (int i = 0; i < Math.max(1, dates.size()); i++)
      steps.add(
          new OrderedStep(
              OrderedStep.seriesKey("order", i),
              kind,
              dates.size() > 1 ? words + " (" + (i + 1) + " of " + dates.size() + ")" : words,
              i < dates.size() ? Optional.of(dates.get(i)) : Optional.empty(),
              FhirDates.gapBefore(dates, i),
              completed ? Optional.of(orderedAt) : Optional.empty()));
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
            steps,
            new PlanFlags(urgent, false, false),
            provider,
            active,
            where,
            Optional.of(kind == StepKind.REFERRAL ? "referral-created" : "order-created"),
            Optional.empty(),
            Optional.empty(),
            List.of(),
            // An Appointment sent later based on this order is about its (first open) visit; the
            // visit it was ordered at, finished later, finds it followed.
            sr.hasEncounter()
                ? java.util.Map.of(
                    e.key(),
                    steps.get(0).key(),
                    ImportBatch.followUpOf(doc.ref(sr.getEncounter(), where, "encounter")),
                    steps.get(0).key())
                : java.util.Map.of(e.key(), steps.get(0).key()),
            Optional.empty()));
  }
}
