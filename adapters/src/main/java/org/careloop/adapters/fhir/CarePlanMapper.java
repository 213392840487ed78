package org.careloop.adapters.fhir;

import static org.careloop.adapters.fhir.FhirReader.firstNonBlank;
import static org.careloop.adapters.fhir.FhirReader.isHighRisk;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.StepKinds;
import org.careloop.app.InputRejected;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.app.messaging.Wording;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanEvent;
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

  /** An activity written inline: its code or description, kind, status and schedule. */
  private static ActivityTargets.Step detail(
      FhirDocument doc, CarePlan.CarePlanActivityDetailComponent d, String aw, ZoneId zone) {
    String words =
        firstNonBlank(
            d.getCode().getText(),
            d.getCode().getCodingFirstRep().getDisplay(),
            d.getDescription());
    var status = d.getStatus();
    boolean dropped =
        status == CarePlan.CarePlanActivityStatus.CANCELLED
            || status == CarePlan.CarePlanActivityStatus.STOPPED
            || status == CarePlan.CarePlanActivityStatus.ENTEREDINERROR;
    Optional<StepKind> kind =
        d.hasKind()
                && d.getKind() == CarePlan.CarePlanActivityKind.APPOINTMENT
                && StepKinds.fromWords(words) == StepKind.OTHER
            ? Optional.of(StepKind.VISIT)
            : d.hasKind() && d.getKind() == CarePlan.CarePlanActivityKind.MEDICATIONREQUEST
                ? Optional.of(StepKind.MEDICATION_CHECK)
                : Optional.empty();
    var window = FhirDates.Window.NONE;
    java.util.List<Instant> series = java.util.List.of();
    if (d.hasScheduled()) {
      Type s = d.getScheduled();
      if (s instanceof Period || s instanceof Timing) {
        window = FhirDates.window(s, zone);
        series = FhirDates.series(s, zone, aw + ".detail.scheduledTiming");
      } else
        doc.warnings.add(
            aw
                + ".detail.scheduled: '"
                + s.primitiveValue()
                + "' is free text; the protocol's default interval applies");
    }
    return new ActivityTargets.Step(
        words,
        kind,
        window,
        dropped,
        status == CarePlan.CarePlanActivityStatus.COMPLETED,
        Optional.empty(),
        series);
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
    boolean planCompleted = status == CarePlan.CarePlanStatus.COMPLETED;
    var zone = doc.zoneOf(patientKey);
    Instant orderedAt =
        FhirDates.happened(cp.getPeriod().getStartElement(), zone)
            .or(() -> FhirDates.happened(cp.getCreatedElement(), zone))
            .orElse(Instant.EPOCH);
    Optional<Instant> planEnd = FhirDates.due(cp.getPeriod().getEndElement(), zone);
    var steps = new ArrayList<OrderedStep>();
    var orders = new java.util.HashMap<String, String>();
    var activities = cp.getActivity();
    for (int i = 0; i < activities.size(); i++) {
      var a = activities.get(i);
      String aw = where + ".activity[" + i + "]";
      // The careloop key of the resource the activity points at, when it points at one.
      Optional<String> target =
          a.hasReference()
              ? Optional.of(doc.ref(a.getReference(), aw, "reference"))
              : Optional.empty();
      var step =
          target.isPresent()
              ? ActivityTargets.referenced(doc, target.get(), a.getReference(), aw, zone)
              : detail(doc, a.getDetail(), aw, zone);
      if (step.dropped()) continue;
      String words = step.words();
      if (words.isBlank() && target.isPresent()) words = target.get().substring(5);
      if (words.isBlank()) words = "care plan step " + (i + 1);
      // Done with no time of its own: when its window or the plan ended, else when ordered. A
      // completion in the future is the importer's to bring back to the moment it learnt of it.
      Optional<Instant> completedAt =
          step.completed()
              ? Optional.of(
                  step.completedAt().or(step.window()::end).or(() -> planEnd).orElse(orderedAt))
              // A completed CarePlan: every activity is done, by the plan's end when it says;
              // else when careloop learns it (the importer brings a time to come back to now).
              : planCompleted ? Optional.of(planEnd.orElse(Instant.MAX)) : Optional.empty();
      String stepKey = "activity-" + i;
      target.ifPresent(t -> orders.put(t, stepKey));
      var kind = step.kind().orElseGet(() -> StepKinds.fromWords(step.words()));
      // An activity of several visits (a Timing's dates) is a step per visit.
      int visits = step.series().size();
      if (visits > 1)
        for (int v = 0; v < visits; v++)
          steps.add(
              new OrderedStep(
                  OrderedStep.seriesKey(stepKey, v),
                  kind,
                  words + " (" + (v + 1) + " of " + visits + ")",
                  Optional.of(step.series().get(v)),
                  FhirDates.gapBefore(step.series(), v),
                  completedAt));
      else
        steps.add(
            new OrderedStep(
                stepKey, kind, words, step.window().due(), Optional.empty(), completedAt));
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
            .filter(l -> !Wording.writesIn(l))
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
        List.of(),
        orders,
        // No longer a proposal: a presented treatment plan the patient accepted (or finished).
        proposal
            ? Optional.empty()
            : status == CarePlan.CarePlanStatus.COMPLETED
                ? Optional.of(PlanEvent.Acceptance.COMPLETED)
                : active ? Optional.of(PlanEvent.Acceptance.ACCEPTED) : Optional.empty());
  }
}
