package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.careloop.adapters.jdbc.Database;
import org.careloop.core.MilestoneStatus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EHR connection polled against a real FHIR server (HAPI FHIR's JPA server): the practice's care
 * plan, its order and its patient are learnt on the first poll; an appointment the EHR books later,
 * sent on its own, on the next; polling again changes nothing; a connection that cannot sign in or
 * be reached says so.
 */
class EhrPollingTest {
  static String fhir;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void server() throws Exception {
    fhir = FhirTestServerProcess.base();
  }

  /** Creates or replaces a resource at the EHR, as the EHR's own users would. */
  static void put(String type, String id, String json) throws Exception {
    var r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(fhir + "/" + type + "/" + id))
                .header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
  }

  @Test
  void aCarePlanThenAnAppointment_areLearntByPolling_andPollingAgainChangesNothing(
      @TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    // Each test run writes its own ids: the FHIR server lives as long as the test JVM.
    String id = Long.toString(System.nanoTime(), 36);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(42);
    put(
        "Patient",
        "pat-" + id,
        """
        {"resourceType": "Patient", "id": "pat-%s",
         "identifier": [{"system": "urn:oid:1.2.36.146.595.217.0.1", "value": "MRN-%s"}],
         "name": [{"family": "Lee", "given": ["Sarah"]}],
         "telecom": [{"system": "phone", "value": "(617) 555-0101", "use": "mobile"}],
         "birthDate": "1961-04-02"}
        """
            .formatted(id, id));
    put(
        "ServiceRequest",
        "lab-" + id,
        """
        {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active", "intent": "order",
         "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "108252007",
           "display": "Laboratory procedure"}]}],
         "code": {"coding": [{"system": "http://loinc.org", "code": "4548-4",
           "display": "Hemoglobin A1c"}], "text": "HbA1c"},
         "subject": {"reference": "Patient/pat-%s"},
         "occurrenceDateTime": "%s"}
        """
            .formatted(id, id, due));
    put(
        "CarePlan",
        "cp-" + id,
        """
        {"resourceType": "CarePlan", "id": "cp-%s", "status": "active", "intent": "plan",
         "title": "Diabetes follow-up",
         "subject": {"reference": "Patient/pat-%s"},
         "activity": [{"reference": {"reference": "ServiceRequest/lab-%s"}}]}
        """
            .formatted(id, id, id));

    var connect = run("ehr", "connect", "main", "--fhir-base", fhir + "/", "--db", db);
    assertThat(connect.code()).as(connect.err()).isZero();
    assertThat(connect.out()).contains("EHR connection main: " + fhir + " (none)");
    var test = run("ehr", "test", "main", "--db", db);
    assertThat(test.code()).as(test.out() + test.err()).isZero();
    assertThat(test.out())
        .contains("ok    sign-in: none asked")
        .contains("ok    capability statement: FHIR 4.0.1")
        .containsPattern("ok    a search: Patient\\?_summary=count: \\d+ patients");

    var first = run("ehr", "poll", "main", "--db", db);
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("plan(s) created");
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var plans = c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE));
      assertThat(plans).filteredOn(p -> p.patient().equals("Sarah Lee")).hasSize(1);
    }

    // Later the EHR books the lab visit: the appointment arrives on its own, pointing at the order.
    Instant start = due.minusDays(2).atTime(14, 0).toInstant(ZoneOffset.UTC);
    put(
        "Appointment",
        "appt-" + id,
        """
        {"resourceType": "Appointment", "id": "appt-%s", "status": "booked",
         "basedOn": [{"reference": "ServiceRequest/lab-%s"}],
         "start": "%s", "end": "%s",
         "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
        """
            .formatted(id, id, start, start.plus(30, ChronoUnit.MINUTES), id));
    var second = run("ehr", "poll", "main", "--db", db);
    assertThat(second.code()).as(second.err()).isZero();
    // At least this appointment: the FHIR server is shared by the EHR tests of this JVM, and with
    // no Appointment cursor yet the poll reads theirs too.
    assertThat(second.out()).containsPattern("read [1-9][0-9]* Appointment");
    String planId;
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var plan =
          c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
              .filter(p -> p.patient().equals("Sarah Lee"))
              .findFirst()
              .orElseThrow();
      planId = plan.id();
      var step = c.read().plan(planId).orElseThrow().state().milestones().get(0);
      assertThat(step.status()).isEqualTo(MilestoneStatus.SCHEDULED);
    }
    String timeline = run("plan", planId, "--db", db).out();

    // Polling again reads the newest again (the cursor is inclusive) and changes nothing.
    var third = run("ehr", "poll", "main", "--db", db);
    assertThat(third.code()).as(third.err()).isZero();
    assertThat(run("plan", planId, "--db", db).out()).isEqualTo(timeline);
    var shown = run("ehr", "show", "main", "--db", db);
    assertThat(shown.out()).contains("Appointment").contains("CarePlan").contains("read up to");
  }

  /**
   * A chart careloop cannot take (a patient with no given name, and the order pointing at that
   * patient) is left out with a warning naming its type and field, never a value; the rest of the
   * poll is imported and the cursors move on, so one odd chart never stops a connection.
   */
  @Test
  void aChartCareloopCannotTake_isLeftOut_theRestIsImported(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    String id = Long.toString(System.nanoTime(), 36);
    String due = LocalDate.now(ZoneOffset.UTC).plusDays(30).toString();
    labFor("odd-" + id, "{\"family\": \"Nameless" + id + "\"}", due);
    labFor("fine-" + id, "{\"family\": \"Fine\", \"given\": [\"Ola\"]}", due);
    assertThat(run("ehr", "connect", "main", "--fhir-base", fhir, "--db", db).code()).isZero();
    var poll = run("ehr", "poll", "main", "--db", db);
    assertThat(poll.code()).as(poll.out() + poll.err()).isZero();
    assertThat(poll.out() + poll.err())
        .contains("a Patient careloop cannot take (Bundle.entry[")
        .contains("].name[0]) was left out, with 1 resource(s) pointing at it")
        .doesNotContain("Nameless" + id)
        .doesNotContain("odd-" + id);
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var plans = c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE));
      assertThat(plans).filteredOn(p -> p.patient().equals("Ola Fine")).hasSize(1);
      assertThat(c.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "main").orElseThrow().cursors())
          .containsKeys("Patient", "ServiceRequest");
    }
    // The next poll, whose only change is another such patient, still says what it left out.
    put(
        "Patient",
        "odder-" + id,
        """
        {"resourceType": "Patient", "id": "odder-%s", "name": [{"family": "Nameless"}]}
        """
            .formatted(id));
    var again = run("ehr", "poll", "main", "--db", db);
    assertThat(again.code()).as(again.out() + again.err()).isZero();
    assertThat(again.out())
        .contains("  note: EHR connection main: a Patient careloop cannot take (Bundle.entry[");
  }

  /** A patient at the FHIR server with this name, and a lab ordered for them due then. */
  void labFor(String patient, String nameJson, String due) throws Exception {
    put(
        "Patient",
        patient,
        """
        {"resourceType": "Patient", "id": "%s", "name": [%s]}
        """
            .formatted(patient, nameJson));
    put(
        "ServiceRequest",
        "lab-" + patient,
        """
        {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active",
         "intent": "order", "code": {"text": "Lipid panel"},
         "subject": {"reference": "Patient/%s"}, "occurrenceDateTime": "%s"}
        """
            .formatted(patient, patient, due));
  }

  @Test
  void aConnectionThatCannotSignInOrBeReached_saysWhat(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    var noUrl = run("ehr", "connect", "x", "--fhir-base", "ehr.example/fhir", "--db", db);
    assertThat(noUrl.code()).isEqualTo(2);
    assertThat(noUrl.err()).contains("--fhir-base 'ehr.example/fhir' is not an http(s) URL");
    var noToken = run("ehr", "connect", "x", "--fhir-base", fhir, "--auth", "bearer", "--db", db);
    assertThat(noToken.code()).isEqualTo(2);
    assertThat(noToken.err()).contains("--auth bearer needs --token-env NAME or --token-file PATH");

    // The token is read where the connection says, when it is used; never stored.
    var tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, "s3cr3t-token-value\n");
    var bearer =
        run(
            "ehr",
            "connect",
            "sec",
            "--fhir-base",
            fhir,
            "--auth",
            "bearer",
            "--token-file",
            tokenFile.toString(),
            "--db",
            db);
    assertThat(bearer.code()).as(bearer.err()).isZero();
    assertThat(run("ehr", "test", "sec", "--db", db).out())
        .contains("ok    sign-in: bearer token read from file:" + tokenFile);
    Files.delete(tokenFile);
    var missing = run("ehr", "test", "sec", "--db", db);
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.out())
        .contains("FAIL  sign-in: the bearer token cannot be read from file:" + tokenFile);
    assertThat(run("ehr", "show", "sec", "--json", "--db", db).out())
        .contains("file:" + tokenFile)
        .doesNotContain("s3cr3t");

    // Nothing answers on port 1 of the loopback address.
    assertThat(
            run("ehr", "connect", "gone", "--fhir-base", "http://127.0.0.1:1/fhir", "--db", db)
                .code())
        .isZero();
    var gone = run("ehr", "poll", "gone", "--db", db);
    assertThat(gone.code()).isEqualTo(1);
    assertThat(gone.err())
        .contains(
            "the EHR connection 'gone' could not be reached at http://127.0.0.1:1/fhir/Patient?");
    assertThat(run("ehr", "show", "gone", "--db", db).out()).contains("polled        never");

    // The server's poller: every connected connection once; the one that fails stops no other.
    Files.writeString(tokenFile, "s3cr3t-token-value\n");
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      var outcomes = c.ehrPolling().pollAll(c.clock().instant());
      assertThat(outcomes)
          .extracting(o -> o.name() + " " + o.failure().orElse("ok"))
          .containsExactly("gone Unreachable", "sec ok");
    }

    // Disconnected: neither polled nor tested, and said so.
    assertThat(run("ehr", "disconnect", "gone", "--db", db).code()).isZero();
    var after = run("ehr", "poll", "gone", "--db", db);
    assertThat(after.code()).isEqualTo(2);
    assertThat(after.err()).contains("the EHR connection 'gone' is disconnected");
    assertThat(run("ehr", "list", "--db", db).out())
        .contains("gone  http://127.0.0.1:1/fhir  none  (disconnected)");
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      assertThat(c.ehrPolling().pollAll(c.clock().instant()))
          .extracting(o -> o.name())
          .containsExactly("sec");
    }
  }
}
