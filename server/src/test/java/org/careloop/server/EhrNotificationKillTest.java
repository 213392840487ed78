package org.careloop.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.careloop.server.EhrPollingTest.put;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.careloop.adapters.jdbc.Database;
import org.careloop.app.EhrConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code careloop serve} killed with SIGKILL while an EHR (HAPI FHIR's JPA server) is notifying it,
 * then started again: the EHR sends each notification until it is answered 2xx, as rest-hook
 * delivery does. Every patient's plan is learnt once, every visit kept is written back to the EHR
 * as one note, and no event is left unworked.
 */
class EhrNotificationKillTest {
  static final int PATIENTS = 24;
  static final String SECRET = "kill-" + Long.toString(System.nanoTime(), 36);

  static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static Process serve(String url, int port, Path log) throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    var command =
        new ArrayList<>(
            List.of(
                java,
                "-Dcareloop.key=" + System.getProperty("careloop.key"),
                "-DCARELOOP_SENDING_LEASE=2s",
                "-DCARELOOP_EHR_POLL=1h",
                "-DCARELOOP_KILL_NOTIFY_SECRET=" + SECRET,
                "-cp",
                System.getProperty("java.class.path"),
                "org.careloop.server.CareloopCommand",
                "serve",
                "--db",
                url,
                "--port",
                String.valueOf(port)));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /** An id-only R4 Backport notification of one event. */
  static String idOnly(String fhir, long number, String focus) {
    return """
    {"resourceType": "Bundle", "type": "history",
     "entry": [{"resource": {"resourceType": "Parameters", "parameter": [
       {"name": "subscription", "valueReference": {"reference": "Subscription/kill"}},
       {"name": "status", "valueCode": "active"},
       {"name": "type", "valueCode": "event-notification"},
       {"name": "events-since-subscription-start", "valueString": "%d"},
       {"name": "notification-event", "part": [
         {"name": "event-number", "valueString": "%d"},
         {"name": "focus", "valueReference": {"reference": "%s/%s"}}]}]}}]}
    """
        .formatted(number, number, fhir, focus);
  }

  @Test
  void killDashNine_whileTheEhrNotifies_losesNothing_andWritesEachNoteOnce(@TempDir Path tmp)
      throws Exception {
    String fhir = FhirTestServerProcess.base();
    EhrPollingTest.fhir = fhir;
    String run = Long.toString(System.nanoTime(), 36);
    LocalDate due = LocalDate.now(ZoneOffset.UTC).plusDays(10);
    Instant start = due.minusDays(1).atTime(15, 0).toInstant(ZoneOffset.UTC);
    var focuses = new ArrayList<String>();
    for (int i = 0; i < PATIENTS; i++) {
      String id = run + "-" + i;
      put(
          "Patient",
          "pat-" + id,
          """
          {"resourceType": "Patient", "id": "pat-%s", "name": [{"family": "Kill", "given": ["P%s"]}],
           "telecom": [{"system": "phone", "value": "(617) 555-01%02d", "use": "mobile"}]}
          """
              .formatted(id, i, i));
      put(
          "ServiceRequest",
          "lab-" + id,
          """
          {"resourceType": "ServiceRequest", "id": "lab-%s", "status": "active", "intent": "order",
           "code": {"text": "Lipid panel"}, "subject": {"reference": "Patient/pat-%s"},
           "occurrenceDateTime": "%s"}
          """
              .formatted(id, id, due));
      put(
          "CarePlan",
          "cp-" + id,
          """
          {"resourceType": "CarePlan", "id": "cp-%s", "status": "active", "intent": "plan",
           "subject": {"reference": "Patient/pat-%s"},
           "activity": [{"reference": {"reference": "ServiceRequest/lab-%s"}}]}
          """
              .formatted(id, id, id));
      // The visit is already kept at the EHR: its notification makes careloop write a note.
      put(
          "Appointment",
          "appt-" + id,
          """
          {"resourceType": "Appointment", "id": "appt-%s", "status": "fulfilled",
           "basedOn": [{"reference": "ServiceRequest/lab-%s"}], "start": "%s", "end": "%s",
           "participant": [{"actor": {"reference": "Patient/pat-%s"}, "status": "accepted"}]}
          """
              .formatted(id, id, start, start.plus(30, ChronoUnit.MINUTES), id));
      focuses.add("CarePlan/cp-" + id);
      focuses.add("Appointment/appt-" + id);
    }

    String url = Pg.newSchema("ehrkill");
    try (var c = Opened.careloop(url, Optional.of("real"), Optional.empty(), 2)) {
      var now = c.clock().instant();
      c.ehrSetup()
          .connect(
              "ada",
              new EhrConnection(
                  Careloop.DEFAULT_PRACTICE,
                  "main",
                  fhir,
                  EhrConnection.Auth.NONE,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of(
                      new EhrConnection.Notifications(
                          EhrConnection.Check.HEADER,
                          "Authorization",
                          "env:CARELOOP_KILL_NOTIFY_SECRET")),
                  now,
                  Optional.empty()),
              now);
    }

    int port = freePort();
    Path log = tmp.resolve("serve.log");
    String endpoint = "http://127.0.0.1:" + port + "/ehr/default/main/notifications";
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    var accepted = new AtomicInteger();
    var failures = new AtomicInteger();
    // The EHR: each notification in order, sent again until answered 2xx.
    Thread ehr =
        Thread.ofPlatform()
            .start(() -> {
              for (int n = 0; n < focuses.size(); n++) {
                String body = idOnly(fhir, n + 1, focuses.get(n));
                while (true) {
                  try {
                    var r =
                        http.send(
                            HttpRequest.newBuilder(URI.create(endpoint))
                                .timeout(Duration.ofSeconds(5))
                                .header("Authorization", "Bearer " + SECRET)
                                .header("Content-Type", "application/fhir+json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) break;
                  } catch (java.io.IOException e) {
                    failures.incrementAndGet();
                  } catch (InterruptedException e) {
                    return;
                  }
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
                accepted.incrementAndGet();
                // An EHR's changes come over time, not all at once.
                try {
                  Thread.sleep(150);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });

    try (var db = Database.open(url, 2, DatabaseSetup.cipherFor(url))) {
      var ds = db.dataSource();
      var first = serve(url, port, log);
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      // Killed once a third of the notifications are in and some were worked.
      while (accepted.get() < focuses.size() / 3
          || Pg.count(ds, "select count(*) from ehr_event where done_at is not null") == 0) {
        assertThat(first.isAlive()).as("serve died early: " + Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("no notification worked in 90 s").isLessThan(deadline);
        Thread.sleep(20);
      }
      first.destroyForcibly().waitFor(); // SIGKILL
      assertThat(accepted.get())
          .as("the kill came before the EHR was done")
          .isLessThan(focuses.size());

      var second = serve(url, port, log);
      try {
        deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (ehr.isAlive()
            || Pg.count(ds, "select count(*) from ehr_event where done_at is null") > 0
            || Pg.count(ds, "select count(*) from outbox where status in ('PENDING', 'SENDING')")
                > 0) {
          assertThat(second.isAlive())
              .as("restarted serve died: " + Files.readString(log))
              .isTrue();
          assertThat(System.nanoTime())
              .as("restart did not catch up in 180 s: " + accepted.get() + " accepted")
              .isLessThan(deadline);
          Thread.sleep(100);
        }
      } finally {
        second.destroyForcibly().waitFor();
        ehr.interrupt();
      }
      assertThat(failures.get()).as("the EHR met the killed server at least once").isPositive();
      // Every event stored once and worked.
      assertThat(Pg.count(ds, "select count(*) from ehr_event")).isEqualTo(focuses.size());
      assertThat(
              Pg.strings(ds, "select outcome from ehr_event order by id").stream()
                  .filter(o -> !o.startsWith("imported"))
                  .toList())
          .isEmpty();
    }
    // serve's first poll also read what the other EHR tests left on the shared FHIR server: this
    // test's patients are the Kill family.
    try (var c = Opened.careloop(url, Optional.empty(), Optional.empty(), 2)) {
      var plans =
          c.read().plans(Optional.of(Careloop.DEFAULT_PRACTICE)).stream()
              .filter(p -> p.patient().endsWith(" Kill"))
              .map(org.careloop.app.Reads.PlanRow::id)
              .collect(java.util.stream.Collectors.toSet());
      assertThat(plans).hasSize(PATIENTS);
      var notes =
          c.read().outbox().stream()
              .filter(o -> plans.contains(o.planId()) && o.kind().equals("EHR_NOTE"))
              .toList();
      assertThat(notes).hasSize(PATIENTS).allMatch(o -> o.status().equals("SENT"));
    }
    // At the EHR: one note per patient, however often careloop was cut off.
    for (int i = 0; i < PATIENTS; i++) {
      String search =
          fhir
              + "/DocumentReference?_summary=count&subject="
              + URLEncoder.encode("Patient/pat-" + run + "-" + i, StandardCharsets.UTF_8)
              + "&identifier="
              + URLEncoder.encode(
                  org.careloop.app.messaging.EhrWriter.IDENTIFIER_SYSTEM + "|",
                  StandardCharsets.UTF_8);
      var r =
          EhrPollingTest.HTTP.send(
              HttpRequest.newBuilder(URI.create(search))
                  .header("Cache-Control", "no-cache")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).as("patient " + i).containsPattern("\"total\": ?1\\b");
    }
  }
}
