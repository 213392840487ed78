package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.intake.ImportBatch;
import org.careloop.app.intake.Importer;
import org.careloop.core.Milestone;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.OrderedStep;
import org.careloop.core.StepKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * CarePlans as US Core EHRs send them: activities that point at ServiceRequests (and a
 * MedicationRequest, an Appointment, a Task) by urn:uuid in a transaction Bundle or by relative
 * reference in a collection Bundle, with each order's own name and date in every occurrence[x]
 * form; date-only values in the patient's zone, from the state of their address. Hand-written in
 * the spec's shapes.
 */
class FhirCarePlanShapesTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");

  /** A practice in New York; its patient lives in Tulsa, Oklahoma (Central time). */
  static final FhirReader US = new FhirReader("default", ZoneId.of("America/New_York"), "US");

  static final String PATIENT =
      """
      {"resourceType":"Patient","id":"p-ok","name":[{"family":"Okafor","given":["Grace"]}],
       "telecom":[{"system":"phone","value":"(918) 555-0142","use":"mobile"}],
       "address":[{"use":"old","state":"TX"},
                  {"use":"home","line":["12 Elm St"],"city":"Tulsa","state":"Oklahoma","postalCode":"74103"}]}
      """;

  /** A transaction Bundle: every reference a urn:uuid, no display on any activity. */
  static final String TRANSACTION =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001","resource":%s,
        "request":{"method":"PUT","url":"Patient/p-ok"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000002","resource":
        {"resourceType":"CarePlan","status":"active","intent":"plan",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "period":{"start":"2026-03-02"},
         "activity":[
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000003"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000004"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000005"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000006"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000007"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000008"}},
          {"reference":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000009"}}]},
        "request":{"method":"POST","url":"CarePlan"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000003","resource":
        {"resourceType":"ServiceRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "category":[{"coding":[{"system":"http://snomed.info/sct","code":"108252007","display":"Laboratory procedure"}]}],
         "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c/Hemoglobin.total in Blood"}]},
         "occurrenceDateTime":"2026-04-15","authoredOn":"2026-03-02"},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000004","resource":
        {"resourceType":"ServiceRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "category":[{"coding":[{"system":"http://snomed.info/sct","code":"363679005"}]}],
         "code":{"text":"Knee MRI without contrast"},
         "occurrencePeriod":{"start":"2026-04-01T09:30:00-04:00","end":"2026-04-30T17:00:00-04:00"}},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000005","resource":
        {"resourceType":"ServiceRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "code":{"coding":[{"system":"http://snomed.info/sct","code":"91251008","display":"Physical therapy procedure"}]},
         "occurrenceTiming":{"repeat":{"boundsPeriod":{"start":"2026-03-16","end":"2026-04-24"},
                                       "frequency":2,"period":1,"periodUnit":"wk"}}},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000006","resource":
        {"resourceType":"ServiceRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "category":[{"coding":[{"system":"http://snomed.info/sct","code":"3457005","display":"Patient referral"}]}],
         "code":{"text":"Cardiology"},
         "occurrenceTiming":{"event":["2026-05-04","2026-05-11"]}},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000007","resource":
        {"resourceType":"MedicationRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "medicationCodeableConcept":{"text":"metformin 500 mg tablet"}},
        "request":{"method":"POST","url":"MedicationRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000008","resource":
        {"resourceType":"ServiceRequest","status":"revoked","intent":"order",
         "subject":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "code":{"text":"Lipid panel"},"occurrenceDateTime":"2026-04-15"},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000009","resource":
        {"resourceType":"Task","status":"requested","intent":"order",
         "for":{"reference":"urn:uuid:7f1c0a3e-0000-4000-8000-000000000001"},
         "description":"Diabetes education class",
         "restriction":{"period":{"end":"2026-04-30"}}},
        "request":{"method":"POST","url":"Task"}}
      ]}
      """
          .formatted(PATIENT);

  /** A collection Bundle: absolute fullUrls, relative references between them. */
  static final String COLLECTION =
      """
      {"resourceType":"Bundle","type":"collection","entry":[
       {"fullUrl":"https://ehr.example.org/fhir/Patient/p-ok","resource":%s},
       {"fullUrl":"https://ehr.example.org/fhir/CarePlan/cp-1","resource":
        {"resourceType":"CarePlan","id":"cp-1","status":"active","intent":"order",
         "subject":{"reference":"Patient/p-ok"},"created":"2026-03-02T10:15:00-05:00",
         "activity":[{"reference":{"reference":"ServiceRequest/sr-lab"}},
                     {"reference":{"reference":"ServiceRequest/sr-done"}}]}},
       {"fullUrl":"https://ehr.example.org/fhir/ServiceRequest/sr-lab","resource":
        {"resourceType":"ServiceRequest","id":"sr-lab","status":"active","intent":"order",
         "subject":{"reference":"Patient/p-ok"},
         "code":{"text":"Comprehensive metabolic panel"},
         "occurrenceDateTime":"2026-04-15"}},
       {"fullUrl":"https://ehr.example.org/fhir/ServiceRequest/sr-done","resource":
        {"resourceType":"ServiceRequest","id":"sr-done","status":"completed","intent":"order",
         "subject":{"reference":"Patient/p-ok"},
         "code":{"text":"Retinal eye exam"},
         "occurrencePeriod":{"start":"2026-02-20","end":"2026-12-31"}}}
      ]}
      """
          .formatted(PATIENT);

  /** 17:00 on a day in Tulsa: a date-only deadline's end of business day where she lives. */
  static Instant tulsa(String date) {
    return java.time.LocalDate.parse(date)
        .atTime(17, 0)
        .atZone(ZoneId.of("America/Chicago"))
        .toInstant();
  }

  static OrderedStep step(ImportBatch batch, String key) {
    return batch.plans().get(0).steps().stream()
        .filter(s -> s.key().equals(key))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTransactionBundle_readsEachReferencedOrdersOwnNameKindAndDate_inThePatientsZone() {
    var batch = US.read(TRANSACTION, "careplan-transaction.json");
    var patient = batch.patients().get(0);
    assertThat(patient.region()).contains("OK");
    assertThat(patient.zone()).isEqualTo(ZoneId.of("America/Chicago"));
    assertThat(batch.plans()).hasSize(1); // the orders are the plan's steps, not plans of their own
    var plan = batch.plans().get(0);
    assertThat(plan.orderedAt()).isEqualTo(Instant.parse("2026-03-02T18:00:00Z")); // noon, Tulsa
    assertThat(plan.steps())
        .extracting(OrderedStep::key)
        .containsExactly(
            "activity-0",
            "activity-1",
            "activity-2",
            "activity-3",
            "activity-3#2",
            "activity-4",
            "activity-6");

    var lab = step(batch, "activity-0");
    assertThat(lab.kind()).isEqualTo(StepKind.LAB);
    assertThat(lab.description()).isEqualTo("Hemoglobin A1c/Hemoglobin.total in Blood");
    assertThat(lab.dueAt()).contains(tulsa("2026-04-15"));
    assertThat(lab.dueAt()).contains(Instant.parse("2026-04-15T22:00:00Z"));

    var mri = step(batch, "activity-1");
    assertThat(mri.kind()).isEqualTo(StepKind.IMAGING);
    assertThat(mri.description()).isEqualTo("Knee MRI without contrast");
    assertThat(mri.dueAt()).contains(Instant.parse("2026-04-01T13:30:00Z"));

    var pt = step(batch, "activity-2");
    assertThat(pt.kind()).isEqualTo(StepKind.THERAPY);
    assertThat(pt.description()).isEqualTo("Physical therapy procedure");
    assertThat(pt.dueAt()).contains(tulsa("2026-03-16"));

    // Two event dates are two visits, each a step due on its own day.
    var referral = step(batch, "activity-3");
    assertThat(referral.kind()).isEqualTo(StepKind.REFERRAL);
    assertThat(referral.description()).isEqualTo("Cardiology (1 of 2)");
    assertThat(referral.dueAt()).contains(tulsa("2026-05-04"));
    var second = step(batch, "activity-3#2");
    assertThat(second.description()).isEqualTo("Cardiology (2 of 2)");
    assertThat(second.dueAt()).contains(tulsa("2026-05-11"));

    var medication = step(batch, "activity-4");
    assertThat(medication.kind()).isEqualTo(StepKind.MEDICATION_CHECK);
    assertThat(medication.description()).isEqualTo("metformin 500 mg tablet");
    assertThat(medication.dueAt()).isEmpty(); // the protocol's interval applies

    var education = step(batch, "activity-6");
    assertThat(education.description()).isEqualTo("Diabetes education class");
    assertThat(education.dueAt()).contains(tulsa("2026-04-30"));
  }

  @Test
  void aCollectionBundle_resolvesRelativeReferences_andACompletedOrderIsDoneNotDueInTheFuture() {
    var batch = US.read(COLLECTION, "careplan-collection.json");
    assertThat(batch.plans()).hasSize(1);
    assertThat(batch.plans().get(0).orderedAt()).isEqualTo(Instant.parse("2026-03-02T15:15:00Z"));
    var lab = step(batch, "activity-0");
    assertThat(lab.kind()).isEqualTo(StepKind.LAB);
    assertThat(lab.description()).isEqualTo("Comprehensive metabolic panel");
    assertThat(lab.dueAt()).contains(tulsa("2026-04-15"));
    var done = step(batch, "activity-1");
    assertThat(done.description()).isEqualTo("Retinal eye exam");
    assertThat(done.completedAt()).contains(tulsa("2026-12-31"));
  }

  @Test
  void aReferenceToAnOrderNotInTheInput_keepsItsDisplay_andSaysWhatIsNotKnown() {
    String json =
        """
        {"resourceType":"CarePlan","id":"cp-2","status":"active","intent":"plan",
         "subject":{"reference":"Patient/p-ok"},"created":"2026-03-02",
         "activity":[{"reference":{"reference":"ServiceRequest/elsewhere","display":"Colonoscopy"}}]}
        """;
    var batch = US.read(json, "careplan-alone.json");
    var step = step(batch, "activity-0");
    assertThat(step.description()).isEqualTo("Colonoscopy");
    assertThat(step.dueAt()).isEmpty();
    assertThat(batch.warnings())
        .anyMatch(w ->
            w.contains("activity[0].reference")
                && w.contains("ServiceRequest/elsewhere is not in this input"));
    // Without the patient in the input, her dates are in the practice's zone.
    assertThat(batch.plans().get(0).orderedAt())
        .isEqualTo(Instant.parse("2026-03-02T17:00:00Z")); // noon in New York
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void imported_thePlanTracksEachOrderAtItsOwnTime_andAStepDoneLaterThanNowIsDoneNow(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(TRANSACTION, "careplan-transaction.json"), T0);
      f.importer().importBatch(US.read(COLLECTION, "careplan-collection.json"), T0);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select region from patient")).containsExactly("OK");
      assertThat(q.strings("select time_zone from patient")).containsExactly("America/Chicago");

      var transaction =
          f.store()
              .inTransaction(tx ->
                  tx.lockPlan(
                          Importer.planId(
                              "default", "fhir:CarePlan/7f1c0a3e-0000-4000-8000-000000000002"))
                      .orElseThrow());
      assertThat(transaction.state().milestones())
          .extracting(Milestone::description, Milestone::dueAt)
          .contains(
              org.assertj.core.groups.Tuple.tuple(
                  "Hemoglobin A1c/Hemoglobin.total in Blood", tulsa("2026-04-15")),
              org.assertj.core.groups.Tuple.tuple(
                  "Knee MRI without contrast", Instant.parse("2026-04-01T13:30:00Z")),
              org.assertj.core.groups.Tuple.tuple(
                  "Physical therapy procedure", tulsa("2026-03-16")));

      var collection =
          f.store()
              .inTransaction(tx ->
                  tx.lockPlan(Importer.planId("default", "fhir:CarePlan/cp-1")).orElseThrow());
      var done = collection.state().milestone("activity-1").orElseThrow();
      // The order says completed, over a window that ends in December: done when careloop learnt
      // it (T0), not in December, and no care gap for it.
      assertThat(done.completedAt()).contains(T0);
      assertThat(
              q.count(
                  "select count(*) from timeline_entry where detail like '%Retinal%' and detail like '%gap%'"))
          .isZero();
    }
  }

  /** A CarePlan whose therapy comes first and whose lab comes later, by relative references. */
  static final String TWO_ORDERS =
      """
      {"resourceType":"Bundle","type":"collection","entry":[
       {"fullUrl":"https://ehr.example.org/fhir/Patient/p-ok","resource":%s},
       {"fullUrl":"https://ehr.example.org/fhir/CarePlan/cp-3","resource":
        {"resourceType":"CarePlan","id":"cp-3","status":"active","intent":"plan",
         "subject":{"reference":"Patient/p-ok"},"created":"2026-03-02",
         "activity":[{"reference":{"reference":"ServiceRequest/sr-pt"}},
                     {"reference":{"reference":"ServiceRequest/sr-a1c"}}]}},
       {"fullUrl":"https://ehr.example.org/fhir/ServiceRequest/sr-pt","resource":
        {"resourceType":"ServiceRequest","id":"sr-pt","status":"active","intent":"order",
         "subject":{"reference":"Patient/p-ok"},"code":{"text":"Physical therapy evaluation"},
         "occurrenceTiming":{"repeat":{"boundsPeriod":{"start":"2026-03-09"}}}}},
       {"fullUrl":"https://ehr.example.org/fhir/ServiceRequest/sr-a1c","resource":
        {"resourceType":"ServiceRequest","id":"sr-a1c","status":"active","intent":"order",
         "subject":{"reference":"Patient/p-ok"},"code":{"text":"Hemoglobin A1c"},
         "occurrenceDateTime":"2026-04-15"}}
      ]}
      """
          .formatted(PATIENT);

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aCarePlanResentAsCompleted_completesItsSteps_andThePlanCompletesNotEnds(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(TWO_ORDERS, "cp-3.json"), T0);
      Instant later = T0.plus(java.time.Duration.ofDays(10));
      var completed =
          TWO_ORDERS.replace(
              "\"id\":\"cp-3\",\"status\":\"active\"", "\"id\":\"cp-3\",\"status\":\"completed\"");
      assertThat(completed).isNotEqualTo(TWO_ORDERS);
      f.importer().importBatch(US.read(completed, "cp-3-completed.json"), later);
      var plan =
          f.store()
              .inTransaction(tx ->
                  tx.lockPlan(Importer.planId("default", "fhir:CarePlan/cp-3")).orElseThrow());
      assertThat(plan.state().status()).isEqualTo(org.careloop.core.PlanStatus.COMPLETED);
      // No end date on the plan: each step is done when careloop learnt it.
      assertThat(plan.state().milestones())
          .extracting(Milestone::status, m -> m.completedAt().orElseThrow())
          .containsOnly(org.assertj.core.groups.Tuple.tuple(MilestoneStatus.COMPLETED, later));
    }
  }

  /** The lab's appointment, sent by the EHR on its own days later. */
  static String labAppointment(String status, String basedOn) {
    return """
    {"resourceType":"Appointment","id":"appt-lab","status":"%s",
     "basedOn":[{"reference":"%s"}],
     "start":"2026-04-14T14:00:00-05:00","end":"2026-04-14T14:20:00-05:00",
     "participant":[{"actor":{"reference":"Patient/p-ok"},"status":"accepted"}]}
    """
        .formatted(status, basedOn);
  }

  static Milestone stepOf(SyntheaFollowUpTest.Fixture f, String plan, String key) {
    return f.store()
        .inTransaction(tx -> tx.lockPlan(plan).orElseThrow())
        .state()
        .milestone(key)
        .orElseThrow();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anAppointmentSentLaterOnItsOwn_booksAndMissesTheStepItsOrderStandsFor(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(TWO_ORDERS, "careplan.json"), T0);
      String plan = Importer.planId("default", "fhir:CarePlan/cp-3");
      java.util.function.Function<String, Milestone> step = key -> stepOf(f, plan, key);
      var day = T0.plus(java.time.Duration.ofDays(3));

      var booked =
          f.importer()
              .importBatch(
                  US.read(labAppointment("booked", "ServiceRequest/sr-a1c"), "appt.json"), day);
      assertThat(booked.appointmentEvents()).isEqualTo(1);
      assertThat(step.apply("activity-1").status()).isEqualTo(MilestoneStatus.SCHEDULED);
      assertThat(step.apply("activity-1").appointmentStart())
          .contains(Instant.parse("2026-04-14T19:00:00Z"));
      assertThat(step.apply("activity-0").status())
          .as("the therapy, the plan's current step, is not what the lab visit booked")
          .isEqualTo(MilestoneStatus.PENDING);

      f.importer()
          .importBatch(
              US.read(labAppointment("noshow", "ServiceRequest/sr-a1c"), "appt.json"),
              day.plus(java.time.Duration.ofDays(1)));
      assertThat(step.apply("activity-1").status()).isEqualTo(MilestoneStatus.MISSED);
      assertThat(step.apply("activity-1").misses()).isEqualTo(1);
      assertThat(step.apply("activity-0").misses()).isZero();

      // One based on an order careloop does not follow is not guessed onto the current step.
      var unknown =
          f.importer()
              .importBatch(
                  US.read(
                      labAppointment("booked", "ServiceRequest/sr-elsewhere")
                          .replace("appt-lab", "appt-other"),
                      "appt-other.json"),
                  day);
      assertThat(unknown.appointmentEvents()).isZero();
      assertThat(unknown.notes())
          .anyMatch(n ->
              n.contains("based on ServiceRequest/sr-elsewhere, which careloop does not follow"));
      assertThat(step.apply("activity-0").status()).isEqualTo(MilestoneStatus.PENDING);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void appointmentStatuses_waitlistBooksNothing_enteredInErrorUnbooksWithoutAMiss(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(TWO_ORDERS, "careplan.json"), T0);
      String plan = Importer.planId("default", "fhir:CarePlan/cp-3");
      java.util.function.Function<String, Milestone> step = key -> stepOf(f, plan, key);
      String sr = "ServiceRequest/sr-a1c";
      for (String asked : new String[] {"proposed", "pending", "waitlist"}) {
        var r = f.importer().importBatch(US.read(labAppointment(asked, sr), "appt.json"), T0);
        assertThat(r.appointmentEvents()).as(asked).isZero();
        assertThat(step.apply("activity-1").status()).as(asked).isEqualTo(MilestoneStatus.PENDING);
      }
      f.importer().importBatch(US.read(labAppointment("booked", sr), "appt.json"), T0);
      assertThat(step.apply("activity-1").status()).isEqualTo(MilestoneStatus.SCHEDULED);
      var withdrawn =
          f.importer()
              .importBatch(US.read(labAppointment("entered-in-error", sr), "appt.json"), T0);
      assertThat(withdrawn.appointmentEvents()).isEqualTo(1);
      var lab = step.apply("activity-1");
      assertThat(lab.status()).isEqualTo(MilestoneStatus.PENDING);
      assertThat(lab.appointmentId()).isEmpty();
      assertThat(lab.misses()).isZero();
      assertThat(lab.cancelledAt()).as("not a cancellation: nothing to rebook").isEmpty();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void anActivityThatIsAnAppointment_isBookedByThatAppointmentWhenItComesOnItsOwn(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      String carePlan =
          """
          {"resourceType":"Bundle","type":"collection","entry":[
           {"fullUrl":"https://ehr.example.org/fhir/Patient/p-ok","resource":%s},
           {"fullUrl":"https://ehr.example.org/fhir/CarePlan/cp-4","resource":
            {"resourceType":"CarePlan","id":"cp-4","status":"active","intent":"plan",
             "subject":{"reference":"Patient/p-ok"},"created":"2026-03-02",
             "activity":[{"reference":{"reference":"ServiceRequest/sr-pt"}},
                         {"reference":{"reference":"Appointment/ap-eye","display":"Eye exam"}}]}},
           {"fullUrl":"https://ehr.example.org/fhir/ServiceRequest/sr-pt","resource":
            {"resourceType":"ServiceRequest","id":"sr-pt","status":"active","intent":"order",
             "subject":{"reference":"Patient/p-ok"},"code":{"text":"Physical therapy evaluation"},
             "occurrenceDateTime":"2026-03-09"}}
          ]}
          """
              .formatted(PATIENT);
      f.importer().importBatch(US.read(carePlan, "careplan.json"), T0);
      String plan = Importer.planId("default", "fhir:CarePlan/cp-4");
      String appointment =
          labAppointment("booked", "ServiceRequest/none")
              .replace("appt-lab", "ap-eye")
              .replace("\"basedOn\":[{\"reference\":\"ServiceRequest/none\"}],", "");
      assertThat(appointment).doesNotContain("basedOn");
      var booked = f.importer().importBatch(US.read(appointment, "appt.json"), T0);
      assertThat(booked.appointmentEvents()).isEqualTo(1);
      assertThat(stepOf(f, plan, "activity-1").status()).isEqualTo(MilestoneStatus.SCHEDULED);
      assertThat(stepOf(f, plan, "activity-0").status()).isEqualTo(MilestoneStatus.PENDING);
    }
  }
}
