package org.careloop.adapters.fhir;

import static org.careloop.adapters.fhir.FhirReader.firstNonBlank;
import static org.careloop.adapters.fhir.FhirReader.isHighRisk;
import static org.careloop.adapters.fhir.FhirReader.timingStart;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.careloop.adapters.StepKinds;
import org.careloop.app.InputRejected;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Timing;
import org.hl7.fhir.r4.model.Type;

/**
 * A CarePlan as a plan: its activities (inline details, or references to ServiceRequests and
 * Appointments) become the steps; a proposal is a treatment plan presented and not yet accepted.
 */
final class CarePlanMapper {

  private CarePlanMapper() {}

  static void linkActivities(FhirDocument doc, FhirEntry e, CarePlan cp) {
    var activities = cp.getActivity();
    for (int i = 0; i < activities.size(); i++) {
      var a = activities.get(i);
      if (a.hasReference()) {
        String target = doc.ref(a.getReference(), e.path() + ".activity[" + i + "]", "reference");
        doc.activityOf.put(target, new String[] {e.key(), "activity-" + i});
      }
    }
  }

  static ImportBatch.IncomingPlan carePlan(FhirDocument doc, FhirEntry e, CarePlan cp) {
    String where = e.path();
    if (!cp.hasSubject()) throw new InputRejected(where + ".subject", "CarePlan has no subject");
    String patientKey = doc.ref(cp.getSubject(), where, "subject");
    if (!patientKey.startsWith("fhir:Patient/"))
      throw new InputRejected(
          where + ".subject", "subject must be a Patient, got " + patientKey.substring(5));
    var status = cp.getStatus();
    if (status == null) throw new InputRejected(where + ".status", "CarePlan has no status");
    // A proposal is a treatment plan presented to the patient and not accepted yet.
    boolean proposal = cp.getIntent() == CarePlan.CarePlanIntent.PROPOSAL;
    boolean active =
        status == CarePlan.CarePlanStatus.ACTIVE
            || (proposal && status == CarePlan.CarePlanStatus.DRAFT);
    Instant orderedAt =
        cp.getPeriod().hasStart()
            ? cp.getPeriod().getStart().toInstant()
            : cp.hasCreated() ? cp.getCreated().toInstant() : Instant.EPOCH;
    var steps = new ArrayList<OrderedStep>();
    var activities = cp.getActivity();
    for (int i = 0; i < activities.size(); i++) {
      var a = activities.get(i);
      String aw = where + ".activity[" + i + "]";
      var d = a.getDetail();
      String words =
          firstNonBlank(
              d.getCode().getText(),
              d.getCode().getCodingFirstRep().getDisplay(),
              d.getDescription(),
              a.hasReference() ? a.getReference().getDisplay() : null);
      if (words.isBlank() && a.hasReference())
        words = doc.ref(a.getReference(), aw, "reference").substring(5);
      if (words.isBlank()) words = "care plan step " + (i + 1);
      var aStatus = d.getStatus();
      if (aStatus == CarePlan.CarePlanActivityStatus.CANCELLED
          || aStatus == CarePlan.CarePlanActivityStatus.STOPPED
          || aStatus == CarePlan.CarePlanActivityStatus.ENTEREDINERROR) continue;
      StepKind kind =
          d.hasKind()
                  && d.getKind() == CarePlan.CarePlanActivityKind.APPOINTMENT
                  && StepKinds.fromWords(words) == StepKind.OTHER
              ? StepKind.VISIT
              : d.hasKind() && d.getKind() == CarePlan.CarePlanActivityKind.MEDICATIONREQUEST
                  ? StepKind.MEDICATION_CHECK
                  : StepKinds.fromWords(words);
      Optional<Instant> due = Optional.empty(), end = Optional.empty();
      if (d.hasScheduled()) {
        Type s = d.getScheduled();
        if (s instanceof Period p) {
          due = Optional.ofNullable(p.getStart()).map(java.util.Date::toInstant);
          end = Optional.ofNullable(p.getEnd()).map(java.util.Date::toInstant);
        } else if (s instanceof Timing t) {
          due = timingStart(t);
        } else {
          doc.warnings.add(
              aw
                  + ".detail.scheduled: '"
                  + s.primitiveValue()
                  + "' is free text; the protocol's default interval applies");
        }
      }
      Optional<Instant> completedAt =
          aStatus == CarePlan.CarePlanActivityStatus.COMPLETED
              ? Optional.of(
                  end.or(() ->
                          Optional.ofNullable(cp.getPeriod().getEnd())
                              .map(java.util.Date::toInstant))
                      .orElse(orderedAt))
              : Optional.empty();
      steps.add(new OrderedStep("activity-" + i, kind, words, due, Optional.empty(), completedAt));
    }
    if (steps.isEmpty()) {
      String category =
          firstNonBlank(
              cp.getCategoryFirstRep().getText(),
              cp.getCategoryFirstRep().getCodingFirstRep().getDisplay(),
              cp.getTitle(),
              "care plan follow-up");
      steps.add(
          new OrderedStep(
              "plan",
              StepKinds.fromWords(category) == StepKind.OTHER
                  ? StepKind.VISIT
                  : StepKinds.fromWords(category),
              category,
              Optional.empty(),
              Optional.empty(),
              Optional.empty()));
    }
    boolean highRisk =
        cp.getMeta().getTag().stream()
                .anyMatch(t -> isHighRisk(t.getCode()) || isHighRisk(t.getDisplay()))
            || cp.getCategory().stream()
                .anyMatch(c ->
                    isHighRisk(c.getText())
                        || c.getCoding().stream()
                            .anyMatch(x -> isHighRisk(x.getDisplay()) || isHighRisk(x.getCode())));
    boolean complex = cp.getAddresses().size() >= 3;
    boolean interpreter =
        doc.patients.stream()
            .filter(p -> p.sourceKey().equals(patientKey))
            .findFirst()
            .flatMap(PatientRecord::language)
            .filter(l -> !l.toLowerCase(Locale.ROOT).startsWith("en"))
            .isPresent();
    Optional<String> provider =
        cp.hasAuthor() ? Optional.ofNullable(cp.getAuthor().getDisplay()) : Optional.empty();
    return new ImportBatch.IncomingPlan(
        e.key(),
        patientKey,
        orderedAt,
        steps,
        new PlanFlags(highRisk, complex, interpreter),
        provider,
        active,
        where,
        Optional.of(proposal ? "treatment-plan-presented" : "care-plan-created"),
        proposal ? Optional.ofNullable(doc.estimateOf.get(patientKey)) : Optional.empty(),
        Optional.empty(),
        List.of());
  }
}
