package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.CommandLineTest.run;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.careloop.adapters.fhir.HealthieSignature;
import org.careloop.adapters.fhir.healthie.HealthieTestServer;
import org.careloop.adapters.jdbc.Database;
import org.careloop.app.EhrConnection;
import org.careloop.app.PatientRecord;
import org.careloop.app.intake.ImportBatch;
import org.careloop.core.MilestoneStatus;
import org.careloop.core.OrderedStep;
import org.careloop.core.PlanFlags;
import org.careloop.core.StepKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A practice on Healthie, end to end: Healthie's signed webhook at {@code POST
 * /ehr/{practice}/{name}/notifications} is checked (401 and nothing stored when unsigned or
 * changed), read (400 naming the field), stored and answered; worked, it fetches the appointment by
 * GraphQL from a server over Healthie's schema and books, then cancels, the patient's step. The
 * connection is made, tried and polled from the command line.
 */
class HealthieConnectionTest {
  static final String KEY = "hk-" + Long.toString(System.nanoTime(), 36);
  static final String WEBHOOK_SECRET = "whsec-" + Long.toString(System.nanoTime(), 36);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static HealthieTestServer healthie;
  static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("CARELOOP_TEST_HEALTHIE_API_KEY", KEY);
    System.setProperty("CARELOOP_TEST_HEALTHIE_WEBHOOK", WEBHOOK_SECRET);
    healthie = HealthieTestServer.start(KEY, ZoneOffset.ofHours(-5));
    server = TestServer.start("healthie", Instant.now().truncatedTo(ChronoUnit.SECONDS));
    healthie.now(server.careloop().clock().instant());
    var now = server.careloop().clock().instant();
    server
        .careloop()
        .ehrSetup()
        .connect(
            "ada",
            new EhrConnection(
                Careloop.DEFAULT_PRACTICE,
                "healthie",
                healthie.url(),
                EhrConnection.Auth.API_KEY,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.of("env:CARELOOP_TEST_HEALTHIE_API_KEY"),
                Optional.of(
                    new EhrConnection.Notifications(
                        EhrConnection.Check.HEALTHIE,
                        "Signature",
                        "env:CARELOOP_TEST_HEALTHIE_WEBHOOK")),
                now,
                Optional.empty(),
                false,
                EhrConnection.Api.HEALTHIE),
            now);
  }

  @AfterAll
  static void stop() {
    server.close();
    healthie.close();
  }

  static final String PATH = "/ehr/" + Careloop.DEFAULT_PRACTICE + "/healthie/notifications";

  /** Posts a webhook as Healthie sends one: signed for {@code signedPath} unless told not to. */
  static HttpResponse<String> webhook(String body, String signedPath, boolean signed, String secret)
      throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var request =
        HttpRequest.newBuilder(URI.create(server.base() + PATH))
            .header("Content-Type", "application/json");
    if (signed)
      new HealthieSignature(secret)
          .sign(
              new HealthieSignature.Request(
                  "POST", signedPath, "", Optional.of("application/json"), bytes))
          .forEach(request::header);
    return HTTP.send(
        request.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> webhook(String body) throws Exception {
    return webhook(body, PATH, true, WEBHOOK_SECRET);
  }

  static String event(String type, String id) {
    return """
    {"resource_id": "%s", "resource_id_type": "Appointment", "event_type": "%s",
     "changed_fields": []}
    """
        .formatted(id, type);
  }

  static int pending() {
    return server
        .careloop()
        .ehrSetup()
        .show(Careloop.DEFAULT_PRACTICE, "healthie")
        .orElseThrow()
        .pending();
  }

  static MilestoneStatus step(String planId) {
    return server.careloop().read().plan(planId).orElseThrow().state().milestones().get(0).status();
  }

  @Test
  void anAppointmentBookedInHealthie_booksTheStep_andDeletingItCancelsTheBooking()
      throws Exception {
    var careloop = server.careloop();
    var now = careloop.clock().instant();
    String id = Long.toString(System.nanoTime() % 1_000_000_000L);
    String family = "Healthie" + Long.toString(System.nanoTime(), 36);
    healthie.user(id, "Rosa", family, "(617) 555-0177", "1958-02-11", now);
    // The patient's plan, as careloop follows it: physical therapy within three weeks.
    String patientKey = "fhir:Patient/healthie-" + id;
    careloop
        .importer()
        .importBatch(
            new ImportBatch(
                "test",
                Careloop.DEFAULT_PRACTICE,
                List.of(
                    new PatientRecord(
                        patientKey,
                        Careloop.DEFAULT_PRACTICE,
                        "Rosa",
                        family,
                        Optional.of("+16175550177"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.time.ZoneId.of("America/New_York"),
                        Optional.empty(),
                        Optional.empty())),
                List.of(
                    new ImportBatch.IncomingPlan(
                        "test:plan-" + id,
                        patientKey,
                        now,
                        List.of(
                            new OrderedStep(
                                "pt",
                                StepKind.THERAPY,
                                "Physical therapy",
                                Optional.of(now.plus(Duration.ofDays(21))),
                                Optional.empty(),
                                Optional.empty())),
                        PlanFlags.NONE,
                        Optional.empty(),
                        true,
                        "test")),
                List.of(),
                List.of()),
            now);
    var plans =
        careloop.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
            .filter(p -> p.patient().endsWith(family))
            .toList();
    assertThat(plans).hasSize(1);
    String planId = plans.get(0).id();
    assertThat(step(planId)).isEqualTo(MilestoneStatus.PENDING);

    // The front desk books the session in Healthie; Healthie sends its webhook.
    String appointment = "8" + id;
    healthie.appointment(
        appointment, id, "Physical Therapy Session", now.plus(Duration.ofDays(9)), 45, null, now);
    int before = pending();
    var created = webhook(event("appointment.created", appointment));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(created.body()).isEqualTo("event-notification: 1 to work, 0 already had\n");
    assertThat(pending()).isEqualTo(before + 1);
    int asked = healthie.queries();
    careloop.ehrNotifications().workDue(now);
    assertThat(healthie.queries()).isGreaterThan(asked);
    assertThat(pending()).isZero();
    assertThat(step(planId)).isEqualTo(MilestoneStatus.SCHEDULED);

    // Then it is deleted in Healthie: fetched with include_deleted, it is a cancellation.
    healthie.delete(appointment, now.plusSeconds(60));
    assertThat(webhook(event("appointment.deleted", appointment)).statusCode()).isEqualTo(200);
    careloop.ehrNotifications().workDue(now.plusSeconds(60));
    assertThat(step(planId)).isNotEqualTo(MilestoneStatus.SCHEDULED);

    // Seen as a walk-in an hour ago, marked Occurred in Healthie: the step is kept. careloop
    // writes nothing to Healthie, so the summary note goes to its sandbox.
    String walkIn = "6" + id;
    healthie.appointment(
        walkIn,
        id,
        "Physical Therapy Session",
        now.minus(Duration.ofHours(1)),
        45,
        "Occurred",
        now.plusSeconds(120));
    assertThat(webhook(event("appointment.created", walkIn)).statusCode()).isEqualTo(200);
    careloop.ehrNotifications().workDue(now.plusSeconds(120));
    assertThat(step(planId)).isEqualTo(MilestoneStatus.COMPLETED);
    careloop.runner().runDue(now.plusSeconds(180));
    var notes =
        careloop.read().outbox().stream()
            .filter(o -> o.planId().equals(planId) && o.kind().equals("EHR_NOTE"))
            .toList();
    assertThat(notes).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo("SENT"));
    assertThat(careloop.read().sandbox(1000)).anyMatch(m -> m.key().equals(notes.get(0).key()));
  }

  @Test
  void unsignedOrChanged_401AndNothingStored_notAWebhook_400NamingTheField() throws Exception {
    int before = pending();
    String body = event("appointment.updated", "123");
    var unsigned = webhook(body, PATH, false, WEBHOOK_SECRET);
    assertThat(unsigned.statusCode()).isEqualTo(401);
    assertThat(unsigned.body()).contains("Signature").contains("nothing was stored");
    var otherSecret = webhook(body, PATH, true, "whsec-someone-else");
    assertThat(otherSecret.statusCode()).isEqualTo(401);
    var otherPath = webhook(body, "/ehr/other/healthie/notifications", true, WEBHOOK_SECRET);
    assertThat(otherPath.statusCode()).isEqualTo(401);
    // A changed byte after signing: the digest is no longer the body's.
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var headers =
        new HealthieSignature(WEBHOOK_SECRET)
            .sign(
                new HealthieSignature.Request(
                    "POST", PATH, "", Optional.of("application/json"), bytes));
    var changed = body.replace("123", "124");
    var request =
        HttpRequest.newBuilder(URI.create(server.base() + PATH))
            .header("Content-Type", "application/json");
    headers.forEach(request::header);
    var tampered =
        HTTP.send(
            request.POST(HttpRequest.BodyPublishers.ofString(changed)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(tampered.statusCode()).isEqualTo(401);
    assertThat(pending()).isEqualTo(before);

    var noId =
        webhook("{\"resource_id_type\": \"Appointment\", \"event_type\": \"appointment.created\"}");
    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(noId.body()).contains("resource_id").contains("is missing");
    // Something careloop does not follow is taken, with nothing to work.
    var form =
        webhook(
            "{\"resource_id\": \"5\", \"resource_id_type\": \"FormAnswerGroup\","
                + " \"event_type\": \"form_answer_group.created\", \"changed_fields\": []}");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).isEqualTo("event-notification: 0 to work, 0 already had\n");
    assertThat(pending()).isEqualTo(before);
  }

  @Test
  void behindAProxy_theSignatureIsOfThePublicAddressPath() throws Exception {
    String was = System.getProperty("careloop.public-url");
    System.setProperty("careloop.public-url", "https://careloop.example/clinic");
    try {
      var r = webhook(event("appointment.updated", "77"), "/clinic" + PATH, true, WEBHOOK_SECRET);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    } finally {
      if (was == null) System.clearProperty("careloop.public-url");
      else System.setProperty("careloop.public-url", was);
    }
  }

  @Test
  void connectedFromTheCommandLine_triedAndPolled(@TempDir Path dir) throws Exception {
    String db = Database.h2Url(dir);
    var keyFile = dir.resolve("healthie-key");
    Files.writeString(keyFile, KEY + "\n");
    var connect =
        run(
            "ehr",
            "connect",
            "healthie",
            "--healthie-api",
            healthie.url(),
            "--api-key-file",
            keyFile.toString(),
            "--notify-secret-env",
            "CARELOOP_TEST_HEALTHIE_WEBHOOK",
            "--db",
            db);
    assertThat(connect.code()).as(connect.err()).isZero();
    assertThat(connect.out())
        .contains("EHR connection healthie: " + healthie.url() + " (Healthie, api-key)")
        .contains("/healthie/notifications (healthie)");
    var test = run("ehr", "test", "healthie", "--db", db);
    assertThat(test.code()).as(test.out() + test.err()).isZero();
    assertThat(test.out())
        .contains("ok    sign-in: API key read from file:" + keyFile)
        .contains("ok    GraphQL API: signed in as Healthie user");
    assertThat(run("ehr", "show", "healthie", "--db", db).out())
        .contains("healthie api  " + healthie.url())
        .doesNotContain(KEY);

    // A client booked in Healthie before careloop was connected: the first poll reads them.
    String id = Long.toString(System.nanoTime() % 1_000_000_000L);
    String family = "Polled" + Long.toString(System.nanoTime(), 36);
    var now = Instant.now();
    healthie.user(id, "Noor", family, "617-555-0166", "1980-08-08", now);
    healthie.appointment(
        "9" + id, id, "Follow-up visit", now.plus(Duration.ofDays(3)), 30, null, now);
    var poll = run("ehr", "poll", "healthie", "--db", db);
    assertThat(poll.code()).as(poll.err()).isZero();
    assertThat(poll.out()).containsPattern("read [1-9][0-9]* Appointment");
    try (var c = Careloop.open(db, Optional.empty(), Optional.empty(), 2)) {
      assertThat(c.ehrSetup().show(Careloop.DEFAULT_PRACTICE, "healthie").orElseThrow().cursors())
          .containsKey("Appointment");
    }

    // Said plainly: what a Healthie connection cannot be.
    String key = keyFile.toString();
    assertRefused(
        db,
        "give --fhir-base URL (a FHIR R4 server), --healthie-api URL",
        "--fhir-base",
        healthie.url());
    assertRefused(db, "needs --api-key-env NAME or --api-key-file PATH");
    assertRefused(
        db,
        "--notify-check healthie",
        "--api-key-file",
        key,
        "--notify-secret-env",
        "CARELOOP_TEST_HEALTHIE_WEBHOOK",
        "--notify-check",
        "header");
    assertRefused(
        db, "careloop writes nothing to Healthie", "--api-key-file", key, "--staff-tasks", "ehr");
  }

  /** {@code ehr connect x --healthie-api URL} with {@code more} is refused, saying {@code why}. */
  private static void assertRefused(String db, String why, String... more) {
    var args = new java.util.ArrayList<>(List.of("ehr", "connect", "x", "--healthie-api"));
    args.add(healthie.url());
    args.addAll(List.of(more));
    args.addAll(List.of("--db", db));
    var refused = run(args.toArray(String[]::new));
    assertThat(refused.code()).as(refused.out()).isEqualTo(2);
    assertThat(refused.err()).contains(why);
  }
}
