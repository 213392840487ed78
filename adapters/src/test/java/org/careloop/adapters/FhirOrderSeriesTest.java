package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import java.time.Instant;
import java.time.ZoneId;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.InputRejected;
import org.careloop.app.intake.Importer;
import org.careloop.core.MilestoneStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An order for several visits (six PT sessions, three injections) as EHRs write it: a
 * ServiceRequest whose {@code occurrenceTiming} lists the dates or repeats on a period. Each visit
 * is a step, due on its own day in the patient's zone; each Appointment sent later for the order
 * books the first visit not yet done or booked.
 */
class FhirOrderSeriesTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
  static final FhirReader US = new FhirReader("default", ZoneId.of("America/New_York"), "US");

  static final String PATIENT =
      """
      {"resourceType":"Patient","id":"p1","name":[{"given":["Rosa"],"family":"Quintana"}],
       "telecom":[{"system":"phone","value":"617-555-0177","use":"mobile"}]}
      """;

  static String order(String id, String timing) {
    return """
    {"resourceType":"ServiceRequest","id":"%s","status":"active","intent":"order",
     "subject":{"reference":"Patient/p1"},"authoredOn":"2026-03-02",
     "code":{"text":"Physical therapy"},
     "category":[{"coding":[{"system":"http://snomed.info/sct","code":"386053000"}]}],
     "occurrenceTiming":%s}
    """
        .formatted(id, timing);
  }

  static String appointment(String id, String order, String status, String start) {
    return """
    {"resourceType":"Appointment","id":"%s","status":"%s",
     "basedOn":[{"reference":"ServiceRequest/%s"}],
     "start":"%s","end":"%s",
     "participant":[{"actor":{"reference":"Patient/p1"},"status":"accepted"}]}
    """
        .formatted(id, status, order, start, start.replace("T10:00", "T11:00"));
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aTimingsDates_areAStepEach_andEachAppointmentBooksTheNextVisit(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(PATIENT, "patient.json"), T0);
      f.importer()
          .importBatch(
              US.read(
                  order("pt", "{\"event\":[\"2026-03-16\",\"2026-03-09\",\"2026-03-23\"]}"),
                  "order.json"),
              T0);
      String plan = Importer.planId("default", "fhir:ServiceRequest/pt");
      // Each date-only visit is due at the close of its day in New York (EDT from March 8).
      assertThatPlan(db, plan).step("order").isDueAt(Instant.parse("2026-03-09T21:00:00Z"));
      assertThatPlan(db, plan).step("order#2").isDueAt(Instant.parse("2026-03-16T21:00:00Z"));
      assertThatPlan(db, plan).step("order#3").isDueAt(Instant.parse("2026-03-23T21:00:00Z"));

      f.importer()
          .importBatch(
              US.read(appointment("a1", "pt", "booked", "2026-03-09T10:00:00-04:00"), "a1.json"),
              T0);
      f.importer()
          .importBatch(
              US.read(appointment("a2", "pt", "booked", "2026-03-16T10:00:00-04:00"), "a2.json"),
              T0);
      assertThatPlan(db, plan)
          .step("order")
          .hasAppointment("fhir:Appointment/a1")
          .plan()
          .step("order#2")
          .hasAppointment("fhir:Appointment/a2")
          .plan()
          .step("order#3")
          .hasStatus(MilestoneStatus.PENDING);
      // The first visit kept: its own step completes, not another.
      f.importer()
          .importBatch(
              US.read(appointment("a1", "pt", "fulfilled", "2026-03-09T10:00:00-04:00"), "a1.json"),
              Instant.parse("2026-03-09T16:00:00Z"));
      assertThatPlan(db, plan)
          .step("order")
          .isCompletedAt(Instant.parse("2026-03-09T14:00:00Z"))
          .plan()
          .step("order#2")
          .isScheduled();
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aRepeat_isCountVisitsEveryPeriod_andTooManyIsRefusedByPath(String kind) throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(PATIENT, "patient.json"), T0);
      f.importer()
          .importBatch(
              US.read(
                  order(
                      "weekly",
                      "{\"repeat\":{\"boundsPeriod\":{\"start\":\"2026-03-05\"},"
                          + "\"count\":6,\"frequency\":1,\"period\":1,\"periodUnit\":\"wk\"}}"),
                  "order.json"),
              T0);
      String plan = Importer.planId("default", "fhir:ServiceRequest/weekly");
      assertThatPlan(db, plan).step("order").isDueAt(Instant.parse("2026-03-05T22:00:00Z"));
      // Six weekly visits: the sixth five weeks on, still at 17:00 after the change to EDT.
      assertThatPlan(db, plan).step("order#6").isDueAt(Instant.parse("2026-04-09T21:00:00Z"));

      assertThatThrownBy(() ->
              US.read(
                  order(
                      "forever",
                      "{\"repeat\":{\"boundsPeriod\":{\"start\":\"2026-03-05\"},"
                          + "\"count\":500,\"period\":1,\"periodUnit\":\"d\"}}"),
                  "order.json"))
          .isInstanceOf(InputRejected.class)
          .hasMessageContaining("occurrenceTiming.repeat.count")
          .hasMessageContaining("500 visits");
      assertThat(new Queries(db.dataSource()).count("select count(*) from plan")).isEqualTo(1);
    }
  }

  /** The treatment-plan program, but counting each visit of a series from the previous one. */
  static org.careloop.core.Protocol afterPrevious() throws java.io.IOException {
    String shipped;
    try (var in =
        FhirOrderSeriesTest.class.getResourceAsStream(
            "/protocols/treatment-plan-follow-up.v1.yaml")) {
      shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    var r =
        org.careloop.adapters.protocol.ProtocolFile.read(
            "pt.yaml", shipped.replace("\nsteps:\n", "\nsteps:\n  series: after-previous\n"));
    assertThat(r.problems()).isEmpty();
    var p = r.protocol().orElseThrow();
    assertThat(p.series()).isEqualTo(org.careloop.core.Protocol.Series.AFTER_PREVIOUS);
    return p;
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aSeriesCountedFromThePreviousVisit_movesTheRestWhenAVisitIsLate_theCalendarDoesNot(
      String kind) throws Exception {
    String weekly =
        "{\"repeat\":{\"boundsPeriod\":{\"start\":\"2026-03-05\"},"
            + "\"count\":3,\"frequency\":1,\"period\":1,\"periodUnit\":\"wk\"}}";
    Instant late = Instant.parse("2026-03-10T14:00:00Z");
    String plan = Importer.planId("default", "fhir:ServiceRequest/pt");
    for (var protocol : java.util.List.of(afterPrevious(), Shipped.treatmentPlan()))
      try (var db = TestDatabases.open(kind)) {
        var store = TestDatabases.storeWithPractice(db);
        var engine =
            new org.careloop.app.engine.Engine(
                new org.careloop.app.Protocols(java.util.List.of(protocol)));
        var importer = new Importer(store, engine, Shipped.DEFAULT);
        importer.importBatch(US.read(PATIENT, "patient.json"), T0);
        importer.importBatch(US.read(order("pt", weekly), "order.json"), T0);
        // Ordered a week apart, at the close of each day (EDT from March 8).
        assertThatPlan(db, plan)
            .step("order")
            .isDueAt(Instant.parse("2026-03-05T22:00:00Z"))
            .plan()
            .step("order#2")
            .isDueAt(Instant.parse("2026-03-12T21:00:00Z"))
            .plan()
            .step("order#3")
            .isDueAt(Instant.parse("2026-03-19T21:00:00Z"));
        // The first session takes place five days late.
        importer.importBatch(
            US.read(appointment("a1", "pt", "booked", "2026-03-10T10:00:00-04:00"), "a1.json"), T0);
        importer.importBatch(
            US.read(appointment("a1", "pt", "fulfilled", "2026-03-10T10:00:00-04:00"), "a1.json"),
            late.plusSeconds(7200));
        // The order re-sent as it was moves nothing.
        importer.importBatch(
            US.read(order("pt", weekly), "order.json"), late.plusSeconds(3 * 3600));
        if (protocol.series() == org.careloop.core.Protocol.Series.AFTER_PREVIOUS)
          // Each session a week after the one before.
          assertThatPlan(db, plan)
              .step("order#2")
              .isDueAt(late.plus(java.time.Duration.ofDays(7)).minusSeconds(3600))
              .plan()
              .step("order#3")
              .isDueAt(late.plus(java.time.Duration.ofDays(14)).minusSeconds(3600));
        else
          assertThatPlan(db, plan)
              .step("order#2")
              .isDueAt(Instant.parse("2026-03-12T21:00:00Z"))
              .plan()
              .step("order#3")
              .isDueAt(Instant.parse("2026-03-19T21:00:00Z"));
      }
  }

  static final String CARE_PLAN_BUNDLE =
      """
      {"resourceType":"Bundle","type":"transaction","entry":[
       {"fullUrl":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a01","resource":
        {"resourceType":"Patient","name":[{"given":["Rosa"],"family":"Quintana"}],
         "telecom":[{"system":"phone","value":"617-555-0177","use":"mobile"}]},
        "request":{"method":"POST","url":"Patient"}},
       {"fullUrl":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a02","resource":
        {"resourceType":"ServiceRequest","status":"active","intent":"order",
         "subject":{"reference":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a01"},
         "code":{"text":"Physical therapy"},
         "category":[{"coding":[{"system":"http://snomed.info/sct","code":"386053000"}]}],
         "occurrenceTiming":{"event":["2026-03-10","2026-03-17"]}},
        "request":{"method":"POST","url":"ServiceRequest"}},
       {"fullUrl":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a03","resource":
        {"resourceType":"CarePlan","status":"active","intent":"plan",
         "subject":{"reference":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a01"},
         "period":{"start":"2026-03-02"},
         "activity":[{"reference":{"reference":"urn:uuid:0b1e2f6a-5c2d-4d0e-9a1b-3c4d5e6f7a02"}}]},
        "request":{"method":"POST","url":"CarePlan"}}]}
      """;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aCarePlanActivity_pointingAtAnOrderOfSeveralVisits_isAStepPerVisit(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.importer().importBatch(US.read(CARE_PLAN_BUNDLE, "bundle.json"), T0);
      var q = new Queries(db.dataSource());
      String plan = q.strings("select id from plan").get(0);
      assertThatPlan(db, plan)
          .step("activity-0")
          .isDueAt(Instant.parse("2026-03-10T21:00:00Z"))
          .plan()
          .step("activity-0#2")
          .isDueAt(Instant.parse("2026-03-17T21:00:00Z"));
    }
  }
}
