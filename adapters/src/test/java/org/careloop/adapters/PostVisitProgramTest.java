package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.adapters.jdbc.JdbcStore;
import org.careloop.adapters.jdbc.ProtocolVersions;
import org.careloop.adapters.jdbc.ReadModel;
import org.careloop.adapters.protocol.ProtocolLibrary;
import org.careloop.app.admin.Administration;
import org.careloop.app.engine.Engine;
import org.careloop.app.intake.ImportResult;
import org.careloop.app.intake.Importer;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The post-visit program, end to end on the simulated clock from FHIR Encounters: opt-in per
 * practice, the summary within 2 hours, the 48-hour reminder only while the next step is not
 * booked, the day-7 call, expiry, and the figures the dashboard needs.
 */
class PostVisitProgramTest {
  static final ZoneId NY = ZoneId.of("America/New_York");

  /** A visit that ended Monday 2026-03-02 at 10:30 in New York; imported half an hour later. */
  static final Instant VISIT_END = Instant.parse("2026-03-02T15:30:00Z");

  static final Instant IMPORT = VISIT_END.plus(Duration.ofMinutes(30));

  static Patient patient(String id, String given, String mobile) {
    var p = new Patient();
    p.setId(id);
    p.addName().setFamily("Lee").addGiven(given);
    p.addTelecom()
        .setSystem(ContactPoint.ContactPointSystem.PHONE)
        .setUse(ContactPoint.ContactPointUse.MOBILE)
        .setValue(mobile);
    p.addTelecom()
        .setSystem(ContactPoint.ContactPointSystem.EMAIL)
        .setValue(given.toLowerCase() + "@example.org");
    return p;
  }

  static Encounter visit(String id, String patient, Instant end) {
    var e = new Encounter();
    e.setId(id);
    e.setStatus(Encounter.EncounterStatus.FINISHED);
    e.setSubject(new Reference("Patient/" + patient));
    e.setPeriod(
        new Period().setStart(Date.from(end.minus(Duration.ofMinutes(30)))).setEnd(Date.from(end)));
    e.addAppointment(new Reference("Appointment/visit-" + id));
    return e;
  }

  static Appointment appointment(
      String id, String patient, Appointment.AppointmentStatus status, Instant start) {
    var a = new Appointment();
    a.setId(id);
    a.setStatus(status);
    a.setStart(Date.from(start));
    a.addParticipant().setActor(new Reference("Patient/" + patient));
    return a;
  }

  /** An engine on the shipped protocols, for a practice that chose post-visit for its visits. */
  static Engine postVisitChosen(JdbcStore store) {
    var engine =
        new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), IMPORT));
    new Administration(store)
        .choosePracticeProtocol(
            "admin:rosa",
            "default",
            "encounter-finished",
            engine.protocols(),
            "post-visit",
            IMPORT);
    return engine;
  }

  /** An order written during visit {@code visit} of patient a, due at {@code due}. */
  static org.hl7.fhir.r4.model.ServiceRequest orderedAt(
      String visit, String id, String text, Instant authored, Instant due) {
    var order = new org.hl7.fhir.r4.model.ServiceRequest();
    order.setId(id);
    order.setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE);
    order.setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER);
    order.setSubject(new Reference("Patient/a"));
    order.setEncounter(new Reference("Encounter/" + visit));
    order.getCode().setText(text);
    order.setAuthoredOn(Date.from(authored));
    order.setOccurrence(new org.hl7.fhir.r4.model.DateTimeType(Date.from(due)));
    return order;
  }

  /** Ava's visit v1 finished and imported: its post-visit plan's id. */
  static String avaVisited(JdbcStore store, Engine engine) {
    importFhir(
        store, engine, IMPORT, patient("a", "Ava", "617-555-0121"), visit("v1", "a", VISIT_END));
    return Importer.planId("default", "fhir:Encounter/v1:post-visit");
  }

  /** The lab ordered during visit v1 (ended {@link #VISIT_END}), due ten days after it. */
  static org.hl7.fhir.r4.model.ServiceRequest lipidPanelOfVisit1() {
    return orderedAt(
        "v1",
        "lab-a",
        "Lipid panel",
        VISIT_END.minus(Duration.ofMinutes(10)),
        VISIT_END.plus(Duration.ofDays(10)));
  }

  static ImportResult importFhir(
      JdbcStore store, Engine engine, Instant now, Resource... resources) {
    var bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
    for (var r : resources)
      bundle
          .addEntry()
          .setFullUrl(
              "https://ehr.example.org/fhir/" + r.fhirType() + "/" + r.getIdElement().getIdPart())
          .setResource(r);
    String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(bundle);
    return new Importer(store, engine, "treatment-plan-follow-up")
        .importBatch(new FhirReader("default", NY, "US").read(json, "visits.json"), now);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aVisitThatWasAPlansBookedStep_startsNoPostVisitPlan_andThePlanGoesOnFromIt(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      // Ava's lab order, and its appointment booked for this morning.
      var order = new org.hl7.fhir.r4.model.ServiceRequest();
      order.setId("lab-a");
      order.setStatus(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus.ACTIVE);
      order.setIntent(org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent.ORDER);
      order.setSubject(new Reference("Patient/a"));
      order.getCode().setText("Lipid panel");
      var booked =
          appointment(
              "visit-v1", "a", Appointment.AppointmentStatus.BOOKED, VISIT_END.minusSeconds(1800));
      booked.addBasedOn(new Reference("ServiceRequest/lab-a"));
      var before = VISIT_END.minus(Duration.ofDays(2));
      importFhir(store, engine, before, patient("a", "Ava", "617-555-0121"), order, booked);
      // The visit ends: it was the lab's step. No second plan, no "past due" for a follow-up
      // nobody ordered; the lab's plan records it kept.
      var visit =
          importFhir(
              store,
              engine,
              IMPORT,
              patient("a", "Ava", "617-555-0121"),
              visit("v1", "a", VISIT_END));
      assertThat(visit.plansCreated()).isZero();
      assertThat(visit.notes())
          .anyMatch(
              n -> n.contains("the visit was a step of plan") && n.endsWith("no post-visit plan"));
      var q = new Queries(db.dataSource());
      assertThat(q.byPlanKey("select source_key, status from plan", 2, 0))
          .containsExactly("fhir:ServiceRequest/lab-a COMPLETED");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void afterAVisit_summaryIn2h_reminderAt48h_callOnDay7_unlessBooked(String kind) throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.empty(), IMPORT));
      var q = new Queries(db.dataSource());

      // Not chosen by the practice: visits are not followed up, and the import says so.
      var before =
          importFhir(
              store,
              engine,
              IMPORT,
              patient("a", "Ava", "617-555-0121"),
              visit("v0", "a", VISIT_END));
      assertThat(before.plansCreated()).isZero();
      assertThat(before.notes())
          .contains(
              "visits.json: 1 encounter-finished event(s) not followed up: the practice has not chosen a protocol for them (careloop practice protocol encounter-finished PROTOCOL)");

      new Administration(store)
          .choosePracticeProtocol(
              "admin:rosa",
              "default",
              "encounter-finished",
              engine.protocols(),
              "post-visit",
              IMPORT);
      var result =
          importFhir(
              store,
              engine,
              IMPORT,
              patient("a", "Ava", "617-555-0121"),
              patient("b", "Ben", "617-555-0122"),
              visit("v1", "a", VISIT_END),
              visit("v2", "b", VISIT_END),
              // The visit's own appointment, kept: it is not the next step.
              appointment(
                  "visit-v2",
                  "b",
                  Appointment.AppointmentStatus.FULFILLED,
                  VISIT_END.minus(Duration.ofMinutes(30))),
              // A visit ten days ago is history.
              visit("v3", "b", VISIT_END.minus(Duration.ofDays(10))));
      assertThat(result.plansCreated()).isEqualTo(2);
      assertThat(result.notes())
          .anyMatch(n ->
              n.endsWith(
                  "not followed up by post-visit, it started more than 2 day(s) before the import"));

      var runner = DispatcherTest.sandboxRunner(store, engine, IMPORT);
      runner.runDue(IMPORT);
      // Stage 1 for both, by text and email, within the hour.
      assertThat(sent(q))
          .containsExactly(
              "fhir:Encounter/v1:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit EMAIL VISIT_SUMMARY",
              "fhir:Encounter/v2:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v2:post-visit EMAIL VISIT_SUMMARY");
      // Day 1: Ben books his follow-up.
      runner.advance(IMPORT, IMPORT.plus(Duration.ofDays(1)), t -> {});
      importFhir(
          store,
          engine,
          IMPORT.plus(Duration.ofDays(1)),
          patient("b", "Ben", "617-555-0122"),
          appointment(
              "fu-b", "b", Appointment.AppointmentStatus.BOOKED, IMPORT.plus(Duration.ofDays(10))));
      runner.advance(IMPORT.plus(Duration.ofDays(1)), IMPORT.plus(Duration.ofDays(11)), t -> {});
      importFhir(
          store,
          engine,
          IMPORT.plus(Duration.ofDays(11)),
          patient("b", "Ben", "617-555-0122"),
          appointment(
              "fu-b",
              "b",
              Appointment.AppointmentStatus.FULFILLED,
              IMPORT.plus(Duration.ofDays(10))));
      runner.advance(IMPORT.plus(Duration.ofDays(11)), IMPORT.plus(Duration.ofDays(14)), t -> {});

      // Ava: the 48-hour reminder and, on day 7, a person; Ben nothing more after booking.
      assertThat(sent(q))
          .containsExactly(
              "fhir:Encounter/v1:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit EMAIL VISIT_SUMMARY",
              "fhir:Encounter/v2:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v2:post-visit EMAIL VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit SMS CHECK_IN");
      assertThat(q.joined("select lane, title from task"))
          .containsExactly("POST_VISIT Post-visit: next step not booked, call the patient");
      assertThat(q.byPlanKey("select source_key, status from plan", 2, 0))
          .containsExactly(
              "fhir:Encounter/v1:post-visit ACTIVE", "fhir:Encounter/v2:post-visit COMPLETED");

      var programs =
          new ReadModel(db.dataSource(), TestDatabases.CIPHER)
              .programs(IMPORT.plus(Duration.ofDays(14)));
      assertThat(programs)
          .contains(new org.careloop.app.Reads.ProgramRow("post-visit", 2, 2, 2, 1, 0, 0));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aCycleHasAtMostTwoAutomatedAndOneHumanTouch_thenTheStepWaitsOnTheCareGapReport(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      var q = new Queries(db.dataSource());
      importFhir(
          store, engine, IMPORT, patient("a", "Ava", "617-555-0121"), visit("v1", "a", VISIT_END));
      var runner = DispatcherTest.sandboxRunner(store, engine, IMPORT);
      // Ava never books: six weeks pass, through every care-gap tier of the two-week follow-up.
      runner.advance(IMPORT, IMPORT.plus(Duration.ofDays(45)), t -> {});

      // The summary and the 48-hour reminder; no third text ("past due" for a follow-up nobody
      // ordered, version 1's care-gap tier 1).
      assertThat(sent(q))
          .containsExactly(
              "fhir:Encounter/v1:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit EMAIL VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit SMS CHECK_IN");
      // The day-7 call is the one human touch: no care-gap task beside it, no provider message.
      assertThat(q.joined("select lane, title from task"))
          .containsExactly("POST_VISIT Post-visit: next step not booked, call the patient");
      assertThat(q.count("select count(*) from outbox where kind = 'EHR_INBOX'")).isZero();
      String plan = Importer.planId("default", "fhir:Encounter/v1:post-visit");
      assertThat(q.timeline(plan))
          .anyMatch(
              t -> t.startsWith("gap:next-step:t1: not sent, this step's cycle already had 2"))
          .anyMatch(t -> t.startsWith("gap:next-step:t2: no task, this step's cycle already had 1"))
          .anyMatch(t -> t.startsWith("gap:next-step:t3: no task"))
          .contains("patient is on the weekly care-gap report");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aFollowUpOrderedAtTheVisitAndAlreadyFollowed_startsNoPostVisitPlanBesideIt(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      // The lab ordered during the visit reaches careloop first, on its own.
      var lab = lipidPanelOfVisit1();
      var ordered = importFhir(store, engine, VISIT_END, patient("a", "Ava", "617-555-0121"), lab);
      assertThat(ordered.plansCreated()).isEqualTo(1);
      // The finished visit then: the lab is its follow-up, and a plan already follows it.
      var visited =
          importFhir(
              store,
              engine,
              IMPORT,
              patient("a", "Ava", "617-555-0121"),
              visit("v1", "a", VISIT_END));
      assertThat(visited.plansCreated()).isZero();
      assertThat(visited.notes())
          .anyMatch(n ->
              n.endsWith(
                  ": the follow-up ordered at the visit is already followed by plan "
                      + Importer.planId("default", "fhir:ServiceRequest/lab-a")
                      + "; no post-visit plan"));
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select protocol_id from plan"))
          .containsExactly("treatment-plan-follow-up");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aFollowUpOrderArrivingAfterTheVisitsPlan_takesOverAnUnbookedStep_once(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      String postVisit = avaVisited(store, engine);
      // The lab ordered during the visit reaches careloop a day later, on its own.
      Instant later = IMPORT.plus(Duration.ofDays(1));
      var lab = lipidPanelOfVisit1();
      var result = importFhir(store, engine, later, lab);
      assertThat(result.plansCreated()).isEqualTo(1);
      assertThat(result.notes())
          .anyMatch(n ->
              n.endsWith(
                  ": the visit's post-visit plan "
                      + postVisit
                      + " ends; this order's plan follows up instead"));
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select protocol_id || ' ' || status from plan order by protocol_id"))
          .containsExactly("post-visit ENDED", "treatment-plan-follow-up ACTIVE");
      // Sent again, the order changes nothing: still one plan each.
      assertThat(importFhir(store, engine, later.plusSeconds(60), lab).plansCreated()).isZero();
      assertThat(q.count("select count(*) from plan")).isEqualTo(2);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aFollowUpOrderArrivingAfterItWasBooked_isFollowedByThePostVisitPlan(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      String postVisit = avaVisited(store, engine);
      Instant visitDay = VISIT_END.plus(Duration.ofDays(10));
      // Booked from the front desk the next day, before the order reaches careloop.
      importFhir(
          store,
          engine,
          IMPORT.plus(Duration.ofDays(1)),
          appointment("ap1", "a", Appointment.AppointmentStatus.BOOKED, visitDay));
      var lab = lipidPanelOfVisit1();
      var result = importFhir(store, engine, IMPORT.plus(Duration.ofDays(2)), lab);
      assertThat(result.plansCreated()).isZero();
      assertThat(result.notes())
          .anyMatch(n ->
              n.endsWith(
                  ": the follow-up ordered at the visit is booked in its post-visit plan "
                      + postVisit
                      + ", which follows it"));
      // The visit sent later based on the order is the post-visit plan's step: kept, it is done.
      var kept = appointment("ap2", "a", Appointment.AppointmentStatus.FULFILLED, visitDay);
      kept.addBasedOn(new Reference("ServiceRequest/lab-a"));
      importFhir(store, engine, visitDay.plus(Duration.ofHours(2)), kept);
      var q = new Queries(db.dataSource());
      assertThat(q.strings("select protocol_id || ' ' || status from plan"))
          .containsExactly("post-visit COMPLETED");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void aRecallOrderedAtTheVisit_getsTheRecallSequence_insteadOfTheShortOne(String kind)
      throws Exception {
    try (var db = TestDatabases.open(kind)) {
      var store = TestDatabases.storeWithPractice(db);
      var engine = postVisitChosen(store);
      // A six-month recall ordered during the visit.
      Instant due = VISIT_END.plus(Duration.ofDays(180));
      var recall = orderedAt("v1", "recall-a", "Recall visit", VISIT_END, due);
      var result =
          importFhir(
              store,
              engine,
              IMPORT,
              patient("a", "Ava", "617-555-0121"),
              recall,
              visit("v1", "a", VISIT_END));
      assertThat(result.plansCreated()).isEqualTo(1);
      assertThat(result.notes())
          .anyMatch(n -> n.endsWith("followed up as the next step of its visit's post-visit plan"));
      var q = new Queries(db.dataSource());
      var runner = DispatcherTest.sandboxRunner(store, engine, IMPORT);
      runner.advance(IMPORT, due.minus(Duration.ofDays(10)), t -> {});
      assertThat(sent(q))
          .containsExactly(
              "fhir:Encounter/v1:post-visit SMS VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit EMAIL VISIT_SUMMARY",
              "fhir:Encounter/v1:post-visit SMS RECALL_INVITE");
      assertThat(q.count("select count(*) from task")).isZero();
      assertThat(
              q.matching("select detail from timeline_entry order by id", "checkin:next-step:d2%"))
          .as(q.strings("select detail from timeline_entry order by id").toString())
          .containsExactly(
              "checkin:next-step:d2: not for this plan, the step is due 180 days after the start,"
                  + " beyond 30");
      // Booked 20 days before it is due: the 7-day reminder does not come.
      importFhir(
          store,
          engine,
          due.minus(Duration.ofDays(10)),
          patient("a", "Ava", "617-555-0121"),
          appointment("recall-appt", "a", Appointment.AppointmentStatus.BOOKED, due));
      runner.advance(due.minus(Duration.ofDays(10)), due.minus(Duration.ofDays(1)), t -> {});
      assertThat(sent(q)).hasSize(3);
    }
  }

  @org.junit.jupiter.api.Test
  void aNoShow_startsThePracticesOwnRecoveryProtocol_onlyWhereChosen(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    // A practice's own protocol for patients who miss a visit and have no plan.
    java.nio.file.Files.writeString(
        dir.resolve("missed-visit.v1.yaml"),
        """
        protocol: missed-visit-recovery
        version: 1
        triggers: [appointment-no-show]
        intake: {channels: [sms], template: MISSED_APPOINTMENT}
        touch-cap: 2
        steps: {default-interval: 14d, late-import-window: 2d}
        between-steps:
          - after: 48h
            task: {lane: missed-appointment, priority: high, title: "Missed visit not rebooked: call the patient"}
        """);
    try (var db = TestDatabases.open("h2")) {
      var store = TestDatabases.storeWithPractice(db);
      var engine =
          new Engine(ProtocolLibrary.load(new ProtocolVersions(store), Optional.of(dir), IMPORT));
      var missed =
          appointment(
              "appt-c",
              "c",
              Appointment.AppointmentStatus.NOSHOW,
              VISIT_END.minus(Duration.ofHours(1)));
      var before = importFhir(store, engine, IMPORT, patient("c", "Cai", "617-555-0123"), missed);
      assertThat(before.plansCreated()).isZero();
      assertThat(before.notes())
          .anyMatch(n -> n.contains("1 appointment-no-show event(s) not followed up"));

      new Administration(store)
          .choosePracticeProtocol(
              "admin:rosa",
              "default",
              "appointment-no-show",
              engine.protocols(),
              "missed-visit-recovery",
              IMPORT);
      assertThat(
              importFhir(store, engine, IMPORT, patient("c", "Cai", "617-555-0123"), missed)
                  .plansCreated())
          .isEqualTo(1);
      DispatcherTest.sandboxRunner(store, engine, IMPORT)
          .advance(IMPORT, IMPORT.plus(Duration.ofDays(3)), t -> {});
      var q = new Queries(db.dataSource());
      assertThat(sent(q)).containsExactly("fhir:Appointment/appt-c:no-show SMS MISSED_APPOINTMENT");
      assertThat(q.joined("select lane || ' ' || owner_role, title from task"))
          .containsExactly(
              "MISSED_APPOINTMENT coordinator Missed visit not rebooked: call the patient");

      // Cai misses again while careloop follows him: his plan handles it; no second plan.
      long plans = q.count("select count(*) from plan");
      importFhir(
          store,
          engine,
          IMPORT.plus(Duration.ofDays(3)),
          patient("c", "Cai", "617-555-0123"),
          appointment(
              "appt-c2",
              "c",
              Appointment.AppointmentStatus.NOSHOW,
              IMPORT.plus(Duration.ofDays(2))));
      assertThat(q.count("select count(*) from plan")).isEqualTo(plans);
      assertThat(q.strings("select detail from timeline_entry"))
          .anyMatch(t -> t.startsWith("appointment fhir:Appointment/appt-c2 missed"));
    }
  }

  static List<String> sent(Queries q) throws Exception {
    return q.byPlanKey(
        "select p.source_key, o.channel, o.template, o.created_at from outbox o join plan p on p.id = o.plan_id"
            + " where o.kind = 'MESSAGE'",
        3,
        3,
        0,
        -1);
  }
}
