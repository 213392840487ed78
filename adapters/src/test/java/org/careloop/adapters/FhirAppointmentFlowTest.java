package org.careloop.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.adapters.PlanAssert.assertThatPlan;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.careloop.adapters.fhir.FhirReader;
import org.careloop.app.Practice;
import org.careloop.app.intake.Importer;
import org.careloop.core.MilestoneStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** HL7's own examples: a Patient, an order, and its Appointment booked, then a no-show. */
class FhirAppointmentFlowTest {
  static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z"); // 02:00 in Melbourne
  static final String STEP = "order";
  static final ZoneId MELBOURNE = ZoneId.of("Australia/Melbourne");
  static final FhirReader AU = new FhirReader("default", MELBOURNE, "AU");

  static final String ORDER =
      """
      {"resourceType":"ServiceRequest","id":"myringotomy","status":"active","intent":"order",
       "subject":{"reference":"Patient/example"},"authoredOn":"2026-03-01T10:00:00+11:00",
       "code":{"text":"Myringotomy and insertion of tympanic ventilation tubes"},
       "occurrenceDateTime":"2026-04-01T10:00:00+11:00"}
      """;

  @ParameterizedTest(name = "on {0}")
  @MethodSource("org.careloop.adapters.TestDatabases#kinds")
  void bookedThenNoShow_drivesTheStep_andOutreachWaitsForMorningInMelbourne(String kind)
      throws Exception {
    var f = SyntheaFollowUpTest.fixture(kind);
    try (var db = f.db()) {
      f.store()
          .upsertPractice(
              new Practice(
                  "default",
                  "Bayside Clinic",
                  MELBOURNE,
                  Optional.of("+61395550100"),
                  Optional.empty()));
      var q = new Queries(db.dataSource());
      String patient =
          Files.readString(
              SyntheaFollowUpTest.DATA.resolve("fhir/hl7-examples/patient-example.json"));
      String appointment =
          Files.readString(
              SyntheaFollowUpTest.DATA.resolve("fhir/hl7-examples/appointment-example.json"));

      f.importer().importBatch(AU.read(patient, "patient-example.json"), T0);
      // The mobile number is the one to text; the work number is for calls; the old one is gone.
      assertThat(q.decrypted("select mobile from patient", "patient.mobile"))
          .containsExactly("+61334105613");
      assertThat(q.decrypted("select voice_phone from patient", "patient.voice_phone"))
          .containsExactly("+61355556473");
      assertThat(q.decrypted("select first_name from patient", "patient.first_name"))
          .containsExactly("Peter");

      var created = f.importer().importBatch(AU.read(ORDER, "order.json"), T0);
      assertThat(created.plansCreated()).isEqualTo(1);
      String plan = Importer.planId("default", "fhir:ServiceRequest/myringotomy");

      var booked = f.importer().importBatch(AU.read(appointment, "appointment-example.json"), T0);
      assertThat(booked.appointmentEvents()).isEqualTo(1);
      assertThat(
              f.importer()
                  .importBatch(AU.read(appointment, "appointment-example.json"), T0)
                  .appointmentEvents())
          .as("same status again")
          .isZero();
      assertThatPlan(db, plan)
          .step(STEP)
          .isScheduled()
          .hasAppointment("fhir:Appointment/example")
          .hasAppointmentAt(Instant.parse("2013-12-10T09:00:00Z"));

      var noshow = appointment.replace("\"status\": \"booked\"", "\"status\": \"noshow\"");
      assertThat(noshow).isNotEqualTo(appointment);
      assertThat(
              f.importer()
                  .importBatch(AU.read(noshow, "appointment-noshow.json"), T0)
                  .appointmentEvents())
          .isEqualTo(1);
      assertThatPlan(db, plan)
          .step(STEP)
          .hasStatus(MilestoneStatus.MISSED)
          .wasMissed(1, Instant.parse("2013-12-10T09:00:00Z"))
          .plan()
          .hasNotFired("missed-outreach:" + STEP + ":1");
      f.runner().runDue(T0);
      assertThatPlan(db, plan)
          .as("not at 2 a.m.")
          .hasNotFired("missed-outreach:" + STEP + ":1")
          .messages()
          .doesNotContain("MISSED_APPOINTMENT");

      f.runner().advance(T0, T0.plus(Duration.ofHours(7)), t -> {});
      String missed = " from sandbox_message where idempotency_key like '%missed-outreach%'";
      assertThat(q.decrypted("select recipient" + missed, "sandbox_message.recipient"))
          .containsExactly("+61334105613");
      assertThat(q.decrypted("select body" + missed, "sandbox_message.body"))
          .containsExactly(
              "Hi Peter, Bayside Clinic missed you at your follow-up. Call +61395550100 or reply BOOK. Reply STOP to opt out.");
      assertThat(
              q.matching(
                      "select occurred_at, detail from timeline_entry where plan_id = ?",
                      "missed-appointment message%",
                      plan)
                  .get(0))
          .startsWith("2026-03-02 21:00"); // 08:00 in Melbourne
    }
  }
}
